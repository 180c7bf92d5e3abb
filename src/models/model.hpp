// The four networks of the study (docs/algorithms.md §2), each a function of one flat parameter
// vector laid out exactly as PyTorch's model.parameters() (weights [out,in] row-major, then
// biases; docs/algorithms.md §2.1), so weight vectors move freely between PyTorch and us.
//
// Shape legend: N images, P parameters, 784 = 28x28 pixels.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "autodiff/graph.hpp"
#include "core/parameter_table.hpp"
#include "io/dataset.hpp"
#include "models/input_layer.hpp"
#include "models/permutation_symmetry.hpp"

namespace landscape {

// The text says ReLU for FCP and LeNet; the published code uses softplus everywhere (default).
enum class Activation { Softplus, Relu };
inline constexpr EnumName<Activation> kActivationNames[] = {{Activation::Softplus, "softplus"},
                                                            {Activation::Relu, "relu"}};
Activation parse_activation(const std::string& name);  // "softplus" | "relu", else UsageError
Var activate(Graph& g, Activation a, Var x);

// One parameter tensor of the flat vector.
struct ParamBlock {
  std::string name;  // PyTorch's name, e.g. "fc1.weight"
  Shape shape;
  size_t offset = 0;      // into the flat vector (blocks need not lie in layout order: place_blocks)
  double init_bound = 0;  // PyTorch's default init: uniform(-bound, bound)
  size_t size() const { return shape_size(shape); }
};

class Model {
 public:
  virtual ~Model() = default;
  virtual std::string arch() const = 0;  // "fcp", "lenet", "lstm", "ae"
  // Classifiers end in logits [N,10] and a cross-entropy loss; the autoencoder ends in a
  // reconstruction [N,784] and a mean squared error against its input.
  virtual bool is_classifier() const { return true; }

  const std::vector<ParamBlock>& layout() const { return layout_; }
  size_t num_params() const;

  // Floating-point operations of one image's forward pass (2 per multiply-add of the matrix
  // products and convolutions); backward costs about twice as much. For GFLOP/s in benchmarks.
  virtual double forward_flops() const = 0;

  // Images per graph when dataset_loss cuts a dataset into chunks: small enough that one
  // graph's buffers stay in a core's cache, large enough that the products are not all call
  // overhead. Measured per model (bench/README.md); any value gives the same loss and gradient
  // up to summation order.
  virtual int chunk_images() const { return 256; }

  // Builds the forward pass for images x [N,784]; params[k] is the leaf of layout()[k].
  virtual Var forward(Graph& g, const std::vector<Var>& params, Var x) const = 0;

  // The first layer, when the model names it (models/input_layer.hpp): its product with the
  // images is the one product all weight vectors of a many-point evaluation share, so
  // dataset_loss_many computes it for a whole group of them at once (docs/algorithms.md §2.6).
  virtual InputLayer input_layer() const { return {}; }
  // The rest of forward() from z, the input layer's output ([N,O] dense, [N,C,H,W]
  // convolution): forward(g, p, x) == forward_from_input_layer(g, p, <input layer of x>).
  // Only for a model whose input_layer() is not None.
  virtual Var forward_from_input_layer(Graph& g, const std::vector<Var>& params, Var z) const;
  // Values per example the forward pass takes (x [N, input_size()]) and, for a classifier, the
  // number of classes its logits score; the study's models: 784 pixels, 10 digits.
  virtual size_t input_size() const { return 784; }
  virtual int classes() const { return 10; }
  // The permutation symmetries of its hidden units (models/permutation_symmetry.hpp); none
  // unless the model names them.
  virtual std::vector<PermutationGroup> permutation_groups() const { return {}; }
  // The activations of group g's units on examples x [N, input_size()] under weights w, as
  // [N, units, positions] (a convolution's channels keep their positions): activation matching.
  virtual Tensor group_activations(const Scalar* w, const Tensor& x, size_t group) const;
  // The training loss of a forward output: mean cross-entropy, or MSE against the images.
  Var loss(Graph& g, Var output, Var x, std::vector<int> labels) const;

  // For the error of a weights file whose vectors have `length` values instead of
  // num_params(): what would explain the difference (a folded BatchNorm), or "".
  virtual std::string weights_length_hint(size_t length) const {
    (void)length;
    return "";
  }

 protected:
  void add_block(std::string name, Shape shape, double init_bound);
  // Lays the blocks out in the flat vector in this order of their indices (a permutation of
  // 0..layout().size()-1), each block keeping its index: PyTorch's registration order when a
  // module registers its layers in another order than it runs them (docs/algorithms.md §2.9).
  void place_blocks(const std::vector<size_t>& order);

 private:
  std::vector<ParamBlock> layout_;
  size_t num_params_ = 0;  // the blocks' sizes summed (their offsets need not ascend)
};

// 784 -> (pools 2x2 average poolings) -> W hidden -> 10, no biases (one_hidden_layer.cpp)
std::unique_ptr<Model> make_one_hidden_layer(int width, int pools, Activation a = Activation::Softplus);
// The data set's examples have input_size() values and, for a classifier, labels in
// [0, classes()): io/dataset.hpp's check_data_fits for this model; `what` names it in errors.
void check_data_fits(const Dataset& data, const Model& model, const std::string& what);

// Every --arch / --model flag: its help and the values a table field takes (one_of).
inline constexpr const char* kModelHelp =
    "model: fcp | lenet | lstm | ae, a description (.json) or an ONNX model (.onnx) (also --model FILE)";
inline const std::vector<std::string> kShippedModels{"fcp", "lenet", "lstm", "ae"};
inline const std::vector<std::string> kModelFileEndings{".json", ".onnx"};

// arch: fcp | lenet | lstm | ae, the study's models as shipped descriptions (models/NAME.json),
// or the path of a description file (models/model_description.hpp); UsageError naming --arch
// otherwise. Activation::Relu turns every softplus layer into a ReLU (§2.2).
std::unique_ptr<Model> make_model(const std::string& arch, Activation a = Activation::Softplus);

}  // namespace landscape
