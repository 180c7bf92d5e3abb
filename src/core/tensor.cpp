#include "core/tensor.hpp"

#include <algorithm>
#include <cstring>
#include <sstream>

#include "core/error.hpp"

namespace landscape {

std::string shape_string(const Shape& shape) {
  std::ostringstream os;
  os << '[';
  for (size_t i = 0; i < shape.size(); ++i) os << (i ? ", " : "") << shape[i];
  os << ']';
  return os.str();
}

size_t shape_size(const Shape& shape) {
  size_t n = 1;
  for (int d : shape) {
    if (d < 0) throw Error("negative dimension in shape " + shape_string(shape));
    n *= static_cast<size_t>(d);
  }
  return n;
}

Tensor::Tensor(Shape shape) : shape_(std::move(shape)), size_(shape_size(shape_)) {
  storage_ = std::shared_ptr<Scalar[]>(new Scalar[size_ > 0 ? size_ : 1]());
  data_ = storage_.get();
}

Tensor::Tensor(Shape shape, std::initializer_list<Scalar> values) : Tensor(std::move(shape)) {
  if (values.size() != size_)
    throw Error("tensor of shape " + shape_string(shape_) + " given " + std::to_string(values.size()) +
                " values");
  std::copy(values.begin(), values.end(), data_);
}

Tensor Tensor::uninitialized(Shape shape) {
  Tensor t;
  t.shape_ = std::move(shape);
  t.size_ = shape_size(t.shape_);
  t.storage_ = std::shared_ptr<Scalar[]>(new Scalar[t.size_ > 0 ? t.size_ : 1]);
  t.data_ = t.storage_.get();
  return t;
}

Tensor Tensor::view(Scalar* data, Shape shape) {
  Tensor t;
  t.shape_ = std::move(shape);
  t.size_ = shape_size(t.shape_);
  t.data_ = data;
  return t;
}

Tensor Tensor::view(const Scalar* data, Shape shape) {
  return view(const_cast<Scalar*>(data), std::move(shape));
}

Tensor Tensor::reshaped(Shape shape) const {
  if (shape_size(shape) != size_)
    throw Error("cannot reshape " + shape_string(shape_) + " to " + shape_string(shape));
  Tensor t = *this;
  t.shape_ = std::move(shape);
  return t;
}

Tensor Tensor::clone() const {
  Tensor t = uninitialized(shape_);
  if (size_) std::memcpy(t.data_, data_, size_ * sizeof(Scalar));
  return t;
}

void Tensor::fill(Scalar value) { std::fill(data_, data_ + size_, value); }

}  // namespace landscape
