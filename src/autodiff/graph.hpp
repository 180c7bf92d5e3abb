// Reverse-mode automatic differentiation over tensors, with an optional second pass for exact
// Hessian-vector products (Pearlmutter's R-operator).
//
// A Graph records every value computed for one batch, in creation order. Creation order is a
// topological order (an op's inputs exist before the op), so backward() simply walks the nodes
// in reverse: iterative, deterministic, no recursion even for an LSTM over many steps
// (same inputs and threads, same bits). Gradients accumulate with += into the input's grad
// buffer; only an explicit zeroing clears them.
//
// Parameters are leaves whose value views the model's flat weight vector and whose gradient
// views the caller's flat gradient vector, so after backward() the flat gradient is ready in
// PyTorch's parameters() order. Data leaves (constants) get no gradient.
//
// Tangent mode (B. A. Pearlmutter, "Fast exact multiplication by the Hessian", Neural
// Computation 6, 1994; docs/algorithms.md §10.1). For a direction v over the parameters write
// R{u} = d/dt u(w + t v) at t = 0 for any quantity u of the forward or backward pass. Then
//   forward:  R{y} of every node from the R{} of its inputs (forward-mode tangents), and
//   backward: R{dL/dx} += R{ (dy/dx)^T dL/dy } for every input, alongside the gradient,
// and at a parameter leaf R{dL/dw} = H v exactly, for about twice the cost of a gradient.
// enable_tangents() switches it on for one graph; each op then states its two rules right
// next to its forward and backward (set_tangent_rules). Without tangent mode nothing is
// allocated and the rules are never even turned into closures: the gradient path pays one
// branch per op. An op without tangent rules makes a tangent-mode graph throw an Error naming
// the op, never a silently wrong product.
#pragma once

#include <deque>
#include <functional>
#include <utility>
#include <vector>

#include "core/tensor.hpp"

namespace landscape {

class Graph;

// A handle to a node of a Graph (cheap to copy).
struct Var {
  int id = -1;
};

using BackwardFn = std::function<void(Graph&)>;

class Graph {
 public:
  Var constant(Tensor value);                     // data: no gradient flows into it
  Var parameter(Tensor value, Tensor grad_sink);  // gradient is added into grad_sink
  // Records an op's output; it needs a gradient when any of its inputs does. `op` names the op
  // in errors (a string literal: kept by pointer).
  Var record(const char* op, Tensor value, std::initializer_list<Var> inputs);
  Var record(const char* op, Tensor value, const std::vector<Var>& inputs);
  // Attaches the op's backward (kept only when y needs a gradient). Reads grad(y), adds into
  // the grads of the inputs that need one.
  void set_backward(Var y, BackwardFn backward);

  const Tensor& value(Var v) const { return nodes_[v.id].value; }
  bool requires_grad(Var v) const { return nodes_[v.id].requires_grad; }
  Tensor& grad(Var v);  // dLoss/dv; zero-filled on first use

  // Seeds d out / d loss = seed for the scalar `loss` (1: plain gradient; a chunk's share n/N
  // of a dataset mean) and runs every backward in reverse creation order. In tangent mode the
  // seed's R{} is 0 (the seed does not depend on w) and every tangent backward runs right
  // after its node's backward.
  void backward(Var loss, Scalar seed = Scalar(1));
  // Seeds dLoss/dy = cotangent (y's shape) for any node y and runs every backward: the parameters'
  // grad sinks receive J^T cotangent, J = dy/dw (the Gauss-Newton product's second half,
  // docs/algorithms.md §10.8). Not in tangent mode (no tangent rule knows such a seed).
  void backward_from(Var y, const Tensor& cotangent);

  size_t size() const { return nodes_.size(); }

  // --- Tangent mode (Hessian-vector products) ---
  // Switches tangent mode on; only on an empty graph (a node recorded earlier has no tangent).
  void enable_tangents();
  bool tangents() const { return tangents_; }
  // A parameter leaf in tangent mode: R{w} = tangent (this block of v) and R{dL/dw}, i.e. this
  // block of H v, is added into grad_tangent_sink.
  Var parameter(Tensor value, Tensor grad_sink, Tensor tangent, Tensor grad_tangent_sink);
  // The op's R-operator rules, given right after set_backward. In tangent mode and when y
  // needs a gradient, forward(Graph&) -> Tensor is called at once and its result stored as
  // R{y}; backward(Graph&) is kept and run after the op's backward: it reads grad(y) and
  // grad_tangent(y) and adds into grad_tangent of the inputs that need a gradient. Otherwise
  // nothing happens. Inputs without a gradient (data) have R{} = 0: rules skip their terms.
  template <class TangentForward, class TangentBackward>
  void set_tangent_rules(Var y, TangentForward&& forward, TangentBackward&& backward) {
    if (!tangents_ || !nodes_[y.id].requires_grad) return;
    Tensor t = forward(*this);
    attach_tangent(y, std::move(t), BackwardFn(std::forward<TangentBackward>(backward)));
  }
  // All three rules of an op y = A x linear in its one input x, from the op itself
  // (forward(X) -> A X) and its adjoint (adjoint(dY, dX) adds A^T dY into dX):
  //   dx += A^T dy,   R{y} = A R{x},   R{dx} += A^T R{dy}.
  template <class Forward, class Adjoint>
  void set_linear_rules(Var y, Var x, Forward forward, Adjoint adjoint) {
    set_backward(y, [=](Graph& g) { adjoint(g.grad(y), g.grad(x)); });
    set_tangent_rules(
        y, [=](Graph& g) { return forward(g.tangent(x)); },
        [=](Graph& g) { adjoint(g.grad_tangent(y), g.grad_tangent(x)); });
  }
  // R{v} of a node that needs a gradient (an Error naming the op if it has none).
  const Tensor& tangent(Var v) const;
  // R{dLoss/dv}; zero-filled on first use.
  Tensor& grad_tangent(Var v);

 private:
  struct Node {
    const char* op = "";  // "parameter", "constant" or the op's name
    Tensor value;
    Tensor grad;  // empty until needed
    bool requires_grad = false;
    BackwardFn backward;
    // Tangent mode only:
    bool has_tangent = false;  // set by the op's tangent rules (parameters: at creation)
    Tensor tangent;            // R{value}; empty for nodes without a gradient (R{} = 0)
    Tensor grad_tangent;       // R{grad}; empty until needed
    BackwardFn tangent_backward;
  };
  void attach_tangent(Var y, Tensor tangent, BackwardFn tangent_backward);
  void run_backwards();  // every node's backward (and tangent backward) in reverse creation order
  [[noreturn]] void no_tangent_rule(int id) const;

  std::deque<Node> nodes_;  // deque: references stay valid while nodes are added
  bool tangents_ = false;
};

}  // namespace landscape
