#include "models/described_model.hpp"

#include <cmath>
#include <map>

#include "autodiff/ops.hpp"
#include "core/error.hpp"
#include "models/dataset_loss.hpp"
#include "models/lstm_permutation.hpp"

namespace landscape {

namespace {

// One layer with its shapes resolved (per example, without the batch dimension), the indices
// of its parameter blocks in the layout and its FLOPs.
struct Step {
  LayerSpec spec;
  Shape in, out;
  int weight = -1, bias = -1;  // linear, conv2d, lstm (weight_ih .. bias_hh: weight + 0..3)
  std::vector<Step> body, projection;
  size_t first_block = 0, blocks = 0;  // its own blocks (a residual block: its layers')
  double flops = 0;
  double elementwise = 0;  // values a point-wise activation or a pooling window computes
};

size_t elements(const Shape& s) { return shape_size(s); }

// Pooling and convolution output side, PyTorch's floor mode; 0 when the kernel does not fit
// the padded side (C++ division would round the negative quotient towards zero).
int output_side(int side, int kernel, int stride, int padding) {
  return side + 2 * padding < kernel ? 0 : (side + 2 * padding - kernel) / stride + 1;
}

class DescribedModel : public Model {
 public:
  explicit DescribedModel(const ModelDescription& d) : d_(d) {
    Shape shape(d.input.begin(), d.input.end());
    for (size_t k = 0; k < d.layers.size(); ++k) {
      steps_.push_back(plan(d.layers[k], shape, d.file + ": layers[" + std::to_string(k) + "]"));
      shape = steps_.back().out;
    }
    if (d.loss == LossKind::CrossEntropy && shape.size() != 1)
      throw Error(d.file + ": a classifier must end in logits [K]; the last layer gives " +
                  shape_string(shape) + " (add a flatten and a linear layer)");
    if (d.loss == LossKind::MseInput && elements(shape) != elements(Shape(d.input.begin(), d.input.end())))
      throw Error(d.file + ": loss mse_input compares the output with the input, but the output is " +
                  shape_string(shape) + " and the input " +
                  shape_string(Shape(d.input.begin(), d.input.end())));
    output_ = shape;
    if (!d.parameter_order.empty()) place_blocks(registration_order(d));
    find_permutation_groups();
  }

  // The folded BatchNorm layers of an ONNX import explain a vector longer by their weight and
  // bias (2 C; C when the conv had no bias of its own, as before a BatchNorm it usually has not).
  std::string weights_length_hint(size_t length) const override {
    if (d_.folded_batchnorm.empty() || length <= num_params()) return "";
    size_t channels = 0;
    std::string layers;
    for (const auto& [name, c] : d_.folded_batchnorm) {
      channels += size_t(c);
      layers += (layers.empty() ? "" : ", ") + name;
    }
    const size_t more = length - num_params();
    if (more != channels && more != 2 * channels) return "";
    return "; the difference (" + std::to_string(more) +
           ") is the BatchNorm weight and bias the exporter folded " + "into the preceding Conv (" + layers +
           "): torch.onnx.export of a model in eval mode folds them. Export " +
           "with training=torch.onnx.TrainingMode.PRESERVE and the model in train mode to keep BatchNormalization, " +
           "or save the folded weights (landscape describe lists this import's parameters)";
  }

  std::vector<PermutationGroup> permutation_groups() const override { return groups_; }

  Tensor group_activations(const Scalar* w, const Tensor& x, size_t group) const override {
    require(group < groups_.size(), d_.file + ": no permutation group " + std::to_string(group));
    const PermutationGroup& G = groups_[group];
    Graph g;
    const std::vector<Var> p = parameter_leaves(g, *this, w, nullptr);
    const int N = x.dim(0);
    Var h = g.constant(Tensor::view(x.data(), x.shape()));
    if (d_.input.size() > 1) h = reshape(g, h, batch_shape(N, steps_.front().in));
    for (size_t k = 0; k < G.activation_layer; ++k) h = apply(g, p, steps_[k], h);
    const Tensor& a = g.value(h);
    const int positions = int(a.size() / (size_t(N) * size_t(G.units)));
    return a.reshaped({N, G.units, positions}).clone();
  }

  const std::vector<Step>& steps() const { return steps_; }
  std::string arch() const override { return d_.name; }
  size_t input_size() const override { return elements(Shape(d_.input.begin(), d_.input.end())); }
  int classes() const override { return is_classifier() ? output_[0] : 0; }
  bool is_classifier() const override { return d_.loss == LossKind::CrossEntropy; }
  double forward_flops() const override { return flops_; }
  int chunk_images() const override { return has_conv_ ? 8 : has_lstm_ ? 16 : 256; }

  Var forward(Graph& g, const std::vector<Var>& p, Var x /*[N, prod(input)]*/) const override {
    const int N = g.value(x).dim(0);
    Var h = x;
    if (d_.input.size() > 1) h = reshape(g, x, batch_shape(N, steps_.front().in));
    return run(g, p, 0, h);
  }

  InputLayer input_layer() const override {
    const Step& first = steps_.front();
    if (first.spec.type != LayerType::Linear || first.in.size() != 1) return {};
    return {InputLayer::Kind::Dense, first.weight, first.bias};
  }
  Var forward_from_input_layer(Graph& g, const std::vector<Var>& p, Var z /*[N,O]*/) const override {
    if (input_layer().kind == InputLayer::Kind::None) return Model::forward_from_input_layer(g, p, z);
    return run(g, p, 1, z);
  }

 private:
  static Shape batch_shape(int N, const Shape& s) {
    Shape b{N};
    b.insert(b.end(), s.begin(), s.end());
    return b;
  }

  // The layers from `first` on, then a flatten if the output is not flat (so mse_input compares
  // [N,D] with [N,D]).
  Var run(Graph& g, const std::vector<Var>& p, size_t first, Var h) const {
    for (size_t k = first; k < steps_.size(); ++k) h = apply(g, p, steps_[k], h);
    if (output_.size() > 1) h = reshape(g, h, {g.value(h).dim(0), int(elements(output_))});
    return h;
  }

  Var apply(Graph& g, const std::vector<Var>& p, const Step& s, Var x) const {
    const int N = g.value(x).dim(0);
    const LayerSpec& l = s.spec;
    switch (l.type) {
      case LayerType::Linear:
        return s.bias >= 0 ? linear(g, x, p[s.weight], p[s.bias]) : linear(g, x, p[s.weight]);
      case LayerType::Conv2d:
        return s.bias >= 0 ? conv2d(g, x, p[s.weight], p[s.bias], l.padding, l.stride)
                           : conv2d(g, x, p[s.weight], l.padding, l.stride);
      case LayerType::AvgPool2d: return avgpool2d(g, x, l.kernel, l.stride, l.padding);
      case LayerType::MaxPool2d: return maxpool2d(g, x, l.kernel, l.stride, l.padding);
      case LayerType::Flatten: return reshape(g, x, batch_shape(N, s.out));
      case LayerType::Relu: return relu(g, x);
      case LayerType::Softplus: return softplus(g, x, l.beta, l.threshold);
      case LayerType::Tanh: return tanh(g, x);
      case LayerType::Sigmoid: return sigmoid(g, x);
      case LayerType::LeakyRelu: return leaky_relu(g, x, l.negative_slope);
      case LayerType::Gelu:
        return gelu(g, x, l.tanh_approximation ? GeluApproximation::Tanh : GeluApproximation::None);
      case LayerType::Residual: {
        Var y = x;
        for (const Step& b : s.body) y = apply(g, p, b, y);
        Var skip = s.projection.empty() ? x : apply(g, p, s.projection.front(), x);
        return add(g, y, skip);
      }
      case LayerType::Lstm: {
        Var seq = l.published_permutation ? permute_columns(g, x, lstm_permutation()) : x;
        return lstm_layer(g, seq, p[s.weight], p[s.weight + 1], p[s.weight + 2], p[s.weight + 3]);
      }
    }
    return x;  // not reached: every type is a case above
  }

  // Resolves one layer's shapes, adds its parameter blocks (PyTorch's names, order and init
  // bounds: docs/algorithms.md §2.4) and counts its FLOPs.
  Step plan(const LayerSpec& l, const Shape& in, const std::string& where) {
    Step s{l, in, in, -1, -1, {}, {}, layout().size(), 0, 0};
    const double flops_before = flops_;
    auto need_rank = [&](size_t rank, const char* what) {
      if (in.size() != rank)
        throw Error(where + " (" + layer_type_name(l.type) + "): needs " + what + ", gets " +
                    shape_string(in) + (rank == 1 ? " (add a flatten before it)" : ""));
    };
    switch (l.type) {
      case LayerType::Linear: {
        need_rank(1, "a flat input [D]");
        const double bound = 1 / std::sqrt(double(in[0]));
        s.weight = block(l.name + ".weight", {l.out, in[0]}, bound);
        if (l.bias) s.bias = block(l.name + ".bias", {l.out}, bound);
        s.out = {l.out};
        flops_ += 2.0 * in[0] * l.out;
        break;
      }
      case LayerType::Conv2d: {
        need_rank(3, "an image [C,H,W]");
        const int Ho = output_side(in[1], l.kernel, l.stride, l.padding),
                  Wo = output_side(in[2], l.kernel, l.stride, l.padding);
        if (Ho < 1 || Wo < 1)
          throw Error(where + " (conv2d): kernel larger than the padded image " + shape_string(in));
        const double bound = 1 / std::sqrt(double(in[0]) * l.kernel * l.kernel);
        s.weight = block(l.name + ".weight", {l.out, in[0], l.kernel, l.kernel}, bound);
        if (l.bias) s.bias = block(l.name + ".bias", {l.out}, bound);
        s.out = {l.out, Ho, Wo};
        flops_ += 2.0 * in[0] * l.kernel * l.kernel * l.out * Ho * Wo;
        has_conv_ = true;
        break;
      }
      case LayerType::AvgPool2d:
      case LayerType::MaxPool2d: {
        need_rank(3, "an image [C,H,W]");
        s.out = {in[0], output_side(in[1], l.kernel, l.stride, l.padding),
                 output_side(in[2], l.kernel, l.stride, l.padding)};
        if (s.out[1] < 1 || s.out[2] < 1)
          throw Error(where + " (" + layer_type_name(l.type) + "): kernel larger than the padded image " +
                      shape_string(in));
        s.elementwise = double(elements(s.out)) * l.kernel * l.kernel;  // each window's values
        break;
      }
      case LayerType::Flatten: s.out = {int(elements(in))}; break;
      case LayerType::Residual: {
        Shape shape = in;
        for (size_t k = 0; k < l.body.size(); ++k) {
          s.body.push_back(plan(l.body[k], shape, where + ".body[" + std::to_string(k) + "]"));
          shape = s.body.back().out;
        }
        Shape skip = in;
        if (!l.projection.empty()) {
          s.projection.push_back(plan(l.projection.front(), in, where + ".projection"));
          skip = s.projection.back().out;
        }
        if (shape != skip)
          throw Error(where + " (residual): the body gives " + shape_string(shape) + " but the skip " +
                      shape_string(skip) + (l.projection.empty() ? " (add a projection)" : ""));
        s.out = shape;
        break;
      }
      case LayerType::Lstm: {
        need_rank(1, "a flat sequence [T*input_size]");
        if (in[0] % l.input_size)
          throw Error(where + " (lstm): " + std::to_string(in[0]) +
                      " inputs are not a whole number of steps of " + std::to_string(l.input_size));
        if (l.published_permutation && in[0] != int(lstm_permutation().size()))
          throw Error(where + " (lstm): the published permutation is of " +
                      std::to_string(lstm_permutation().size()) + " pixels, the input has " +
                      std::to_string(in[0]));
        const int H = l.hidden_size, I = l.input_size, T = in[0] / I;
        const double bound = 1 / std::sqrt(double(H));  // PyTorch: every LSTM parameter
        s.weight = block(l.name + ".weight_ih_l0", {4 * H, I}, bound);
        block(l.name + ".weight_hh_l0", {4 * H, H}, bound);
        block(l.name + ".bias_ih_l0", {4 * H}, bound);
        block(l.name + ".bias_hh_l0", {4 * H}, bound);
        s.out = {H};
        flops_ += 2.0 * (double(T) * 4 * H * I + double(T - 1) * 4 * H * H);  // no recurrent product at t = 0
        has_lstm_ = true;
        break;
      }
      default:  // point-wise activations keep the shape
        s.elementwise = double(elements(in));
        break;
    }
    s.blocks = layout().size() - s.first_block;
    s.flops = flops_ - flops_before;
    return s;
  }

  // The hidden units of each linear, conv2d or lstm layer at the top level whose outputs reach
  // the next linear or conv2d layer through point-wise activations, pooling (of a convolution's
  // channels) and a flatten only (models/permutation_symmetry.hpp, docs/algorithms.md §2.10).
  void find_permutation_groups() {
    for (size_t k = 0; k < steps_.size(); ++k) {
      const Step& L = steps_[k];
      const LayerType t = L.spec.type;
      if (t != LayerType::Linear && t != LayerType::Conv2d && t != LayerType::Lstm) continue;
      PermutationGroup g;
      g.name = L.spec.name;
      const size_t U = size_t(t == LayerType::Lstm ? L.spec.hidden_size : L.spec.out);
      g.units = int(U);
      if (t == LayerType::Lstm) {
        const size_t I = size_t(L.spec.input_size), H = U;
        g.axes = {{size_t(L.weight), 4, I},
                  {size_t(L.weight + 1), 4, H},
                  {size_t(L.weight + 1), 4 * H, 1},
                  {size_t(L.weight + 2), 4, 1},
                  {size_t(L.weight + 3), 4, 1}};
      } else {
        g.axes = {{size_t(L.weight), 1, layout()[size_t(L.weight)].size() / U}};
        if (L.bias >= 0) g.axes.push_back({size_t(L.bias), 1, 1});
      }
      bool consumed = false;
      size_t m = k + 1;
      for (; m < steps_.size() && !consumed; ++m) {
        const Step& s = steps_[m];
        switch (s.spec.type) {
          case LayerType::Relu:
          case LayerType::Softplus:
          case LayerType::Tanh:
          case LayerType::Sigmoid:
          case LayerType::LeakyRelu:
          case LayerType::Gelu: continue;
          case LayerType::AvgPool2d:
          case LayerType::MaxPool2d:
          case LayerType::Flatten:
            if (t == LayerType::Conv2d) continue;
            break;
          case LayerType::Linear: {
            const size_t in = size_t(s.in[0]);
            if (in % U == 0) {
              g.axes.push_back({size_t(s.weight), size_t(s.spec.out), in / U});
              consumed = true;
            }
            break;
          }
          case LayerType::Conv2d:
            if (size_t(s.in[0]) == U) {
              g.axes.push_back(
                  {size_t(s.weight), size_t(s.spec.out), size_t(s.spec.kernel) * size_t(s.spec.kernel)});
              consumed = true;
            }
            break;
          default: break;
        }
        if (!consumed) break;
      }
      if (!consumed) continue;
      g.activation_layer = m - 1;  // the layers before the consumer
      groups_.push_back(std::move(g));
    }
  }

  // The block indices in the description's parameter_order; every block named once.
  std::vector<size_t> registration_order(const ModelDescription& d) const {
    std::map<std::string, size_t> index;
    for (size_t k = 0; k < layout().size(); ++k) index[layout()[k].name] = k;
    std::vector<size_t> order;
    for (const std::string& name : d.parameter_order) {
      auto it = index.find(name);
      if (it == index.end())
        throw Error(d.file + ": parameter_order names '" + name +
                    "', which is not a parameter of the model (" + block_names() + ")");
      order.push_back(it->second);
      index.erase(it);
    }
    if (!index.empty())
      throw Error(d.file + ": parameter_order leaves out '" + index.begin()->first +
                  "' (it must name each of " + block_names() + " once)");
    return order;
  }
  std::string block_names() const {
    std::string s;
    for (const ParamBlock& b : layout()) s += (s.empty() ? "" : ", ") + b.name;
    return s;
  }

  int block(const std::string& name, Shape shape, double bound) {
    add_block(name, std::move(shape), bound);
    return int(layout().size()) - 1;
  }

  ModelDescription d_;
  std::vector<Step> steps_;
  Shape output_;
  double flops_ = 0;
  bool has_conv_ = false, has_lstm_ = false;
  std::vector<PermutationGroup> groups_;
};

void summarize(const Model& m, const std::vector<Step>& steps, int depth, std::vector<LayerSummary>& out) {
  for (const Step& s : steps) {
    size_t parameters = 0;
    for (size_t b = s.first_block; b < s.first_block + s.blocks; ++b) parameters += m.layout()[b].size();
    out.push_back(
        {depth, layer_type_name(s.spec.type), s.spec.name, s.out, parameters, s.flops, s.elementwise});
    summarize(m, s.body, depth + 1, out);
    summarize(m, s.projection, depth + 1, out);
  }
}

}  // namespace

std::unique_ptr<Model> make_described_model(const ModelDescription& d) {
  return std::make_unique<DescribedModel>(d);
}

std::vector<LayerSummary> summarize_layers(const ModelDescription& d) {
  const DescribedModel m(d);
  std::vector<LayerSummary> out;
  summarize(m, m.steps(), 0, out);
  return out;
}

}  // namespace landscape
