#include "autodiff/graph.hpp"

#include "core/error.hpp"

namespace landscape {

Var Graph::constant(Tensor value) {
  nodes_.push_back(Node{std::move(value), Tensor(), false, nullptr});
  return Var{static_cast<int>(nodes_.size()) - 1};
}

Var Graph::parameter(Tensor value, Tensor grad_sink) {
  if (grad_sink.size() != value.size())
    throw Error("parameter of shape " + shape_string(value.shape()) +
                " given a gradient buffer of shape " + shape_string(grad_sink.shape()));
  Tensor grad = grad_sink.reshaped(value.shape());
  nodes_.push_back(Node{std::move(value), std::move(grad), true, nullptr});
  return Var{static_cast<int>(nodes_.size()) - 1};
}

Var Graph::record(Tensor value, std::initializer_list<Var> inputs) {
  return record(std::move(value), std::vector<Var>(inputs));
}

Var Graph::record(Tensor value, const std::vector<Var>& inputs) {
  bool needs = false;
  for (Var in : inputs) needs = needs || nodes_[in.id].requires_grad;
  nodes_.push_back(Node{std::move(value), Tensor(), needs, nullptr});
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
  for (int id = static_cast<int>(nodes_.size()) - 1; id >= 0; --id) {
    Node& n = nodes_[id];
    if (n.backward && !n.grad.empty()) n.backward(*this);
  }
}

}  // namespace landscape
