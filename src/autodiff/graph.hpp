// Reverse-mode automatic differentiation over tensors.
//
// A Graph records every value computed for one batch, in creation order. Creation order is a
// topological order (an op's inputs exist before the op), so backward() simply walks the nodes
// in reverse: iterative, deterministic, no recursion even for an LSTM over many steps
// (STYLE.md point 5). Gradients accumulate with += into the input's grad buffer; only an
// explicit zeroing clears them.
//
// Parameters are leaves whose value views the model's flat weight vector and whose gradient
// views the caller's flat gradient vector, so after backward() the flat gradient is ready in
// PyTorch's parameters() order. Data leaves (constants) get no gradient.
#pragma once

#include <deque>
#include <functional>
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
  Var constant(Tensor value);                        // data: no gradient flows into it
  Var parameter(Tensor value, Tensor grad_sink);     // gradient is added into grad_sink
  // Records an op's output; it needs a gradient when any of its inputs does.
  Var record(Tensor value, std::initializer_list<Var> inputs);
  Var record(Tensor value, const std::vector<Var>& inputs);
  // Attaches the op's backward (kept only when y needs a gradient). Reads grad(y), adds into
  // the grads of the inputs that need one.
  void set_backward(Var y, BackwardFn backward);

  const Tensor& value(Var v) const { return nodes_[v.id].value; }
  bool requires_grad(Var v) const { return nodes_[v.id].requires_grad; }
  Tensor& grad(Var v);  // dLoss/dv; zero-filled on first use

  // Seeds d out / d loss = seed for the scalar `loss` (1: plain gradient; a chunk's share n/N
  // of a dataset mean) and runs every backward in reverse creation order.
  void backward(Var loss, Scalar seed = Scalar(1));

  size_t size() const { return nodes_.size(); }

 private:
  struct Node {
    Tensor value;
    Tensor grad;  // empty until needed
    bool requires_grad = false;
    BackwardFn backward;
  };
  std::deque<Node> nodes_;  // deque: references stay valid while nodes are added
};

}  // namespace landscape
