#include "autodiff/graph.hpp"

#include <algorithm>
#include <string>

#include "core/error.hpp"

namespace landscape {

Var Graph::constant(Tensor value) {
  Node n;
  n.op = "constant";
  n.value = std::move(value);
  nodes_.push_back(std::move(n));
  return Var{static_cast<int>(nodes_.size()) - 1};
}

Var Graph::parameter(Tensor value, Tensor grad_sink) {
  if (grad_sink.size() != value.size())
    throw Error("parameter of shape " + shape_string(value.shape()) + " given a gradient buffer of shape " +
                shape_string(grad_sink.shape()));
  if (tangents_) throw Error("a parameter of a tangent-mode graph needs its tangent and a sink for H v");
  Node n;
  n.op = "parameter";
  n.grad = grad_sink.reshaped(value.shape());
  n.value = std::move(value);
  n.requires_grad = true;
  nodes_.push_back(std::move(n));
  return Var{static_cast<int>(nodes_.size()) - 1};
}

Var Graph::parameter(Tensor value, Tensor grad_sink, Tensor tangent, Tensor grad_tangent_sink) {
  if (!tangents_) throw Error("a parameter with a tangent needs enable_tangents() first");
  if (grad_sink.size() != value.size() || tangent.size() != value.size() ||
      grad_tangent_sink.size() != value.size())
    throw Error("parameter of shape " + shape_string(value.shape()) + " given buffers of " +
                std::to_string(grad_sink.size()) + ", " + std::to_string(tangent.size()) + " and " +
                std::to_string(grad_tangent_sink.size()) + " entries");
  Node n;
  n.op = "parameter";
  n.grad = grad_sink.reshaped(value.shape());
  n.requires_grad = true;
  n.has_tangent = true;
  n.tangent = tangent.reshaped(value.shape());
  n.grad_tangent = grad_tangent_sink.reshaped(value.shape());
  n.value = std::move(value);
  nodes_.push_back(std::move(n));
  return Var{static_cast<int>(nodes_.size()) - 1};
}

Var Graph::record(const char* op, Tensor value, std::initializer_list<Var> inputs) {
  return record(op, std::move(value), std::vector<Var>(inputs));
}

Var Graph::record(const char* op, Tensor value, const std::vector<Var>& inputs) {
  bool needs = false;
  for (Var in : inputs) needs = needs || nodes_[in.id].requires_grad;
  Node n;
  n.op = op;
  n.value = std::move(value);
  n.requires_grad = needs;
  nodes_.push_back(std::move(n));
  return Var{static_cast<int>(nodes_.size()) - 1};
}

void Graph::set_backward(Var y, BackwardFn backward) {
  if (nodes_[y.id].requires_grad) nodes_[y.id].backward = std::move(backward);
}

Tensor& Graph::grad(Var v) {
  Node& n = nodes_[v.id];
  if (n.grad.empty() && !n.value.empty()) n.grad = Tensor(n.value.shape());
  return n.grad;
}

void Graph::backward(Var loss, Scalar seed) {
  if (value(loss).size() != 1)
    throw Error("backward() needs a scalar loss, got shape " + shape_string(value(loss).shape()));
  grad(loss)[0] = seed;
  if (tangents_) grad_tangent(loss)[0] = Scalar(0);  // the seed is a constant: R{seed} = 0
  run_backwards();
}

void Graph::backward_from(Var y, const Tensor& cotangent) {
  if (tangents_) throw Error("backward_from() in tangent mode");
  if (cotangent.shape() != value(y).shape())
    throw Error(std::string("backward_from(): a cotangent of shape ") + shape_string(cotangent.shape()) +
                " for " + nodes_[y.id].op + "'s value of shape " + shape_string(value(y).shape()));
  Tensor& gy = grad(y);
  std::copy(cotangent.data(), cotangent.data() + cotangent.size(), gy.data());
  run_backwards();
}

void Graph::run_backwards() {
  for (int id = static_cast<int>(nodes_.size()) - 1; id >= 0; --id) {
    Node& n = nodes_[id];
    if (!n.backward || n.grad.empty()) continue;
    n.backward(*this);
    if (!tangents_) continue;
    if (!n.tangent_backward) no_tangent_rule(id);
    grad_tangent(Var{id});  // zero when no consumer added into it
    n.tangent_backward(*this);
  }
}

void Graph::enable_tangents() {
  if (!nodes_.empty())
    throw Error("enable_tangents() on a graph that already has " + std::to_string(size()) + " nodes");
  tangents_ = true;
}

void Graph::attach_tangent(Var y, Tensor tangent, BackwardFn tangent_backward) {
  Node& n = nodes_[y.id];
  if (tangent.shape() != n.value.shape())
    throw Error(std::string(n.op) + ": tangent of shape " + shape_string(tangent.shape()) +
                " for a value of shape " + shape_string(n.value.shape()));
  n.tangent = std::move(tangent);
  n.has_tangent = true;
  n.tangent_backward = std::move(tangent_backward);
}

const Tensor& Graph::tangent(Var v) const {
  const Node& n = nodes_[v.id];
  if (!n.requires_grad)
    throw Error(std::string("tangent of '") + n.op +
                "', which has no gradient (its R{} is 0: check requires_grad first)");
  if (!n.has_tangent) no_tangent_rule(v.id);
  return n.tangent;
}

Tensor& Graph::grad_tangent(Var v) {
  Node& n = nodes_[v.id];
  if (n.grad_tangent.empty() && !n.value.empty()) n.grad_tangent = Tensor(n.value.shape());
  return n.grad_tangent;
}

void Graph::no_tangent_rule(int id) const {
  throw Error(std::string("op '") + nodes_[id].op + "' (node " + std::to_string(id) +
              ") has no tangent rules: Hessian-vector products (tangent mode) cannot pass "
              "through it");
}

}  // namespace landscape
