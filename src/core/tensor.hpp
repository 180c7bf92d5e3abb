// Tensor: a shape and contiguous row-major storage of Scalar.
// A tensor either owns its storage or views someone else's (a parameter block inside the
// model's flat weight vector, a chunk of the dataset). Views never outlive their owner.
#pragma once

#include <initializer_list>
#include <memory>
#include <string>
#include <vector>

#include "core/scalar.hpp"

namespace landscape {

using Shape = std::vector<int>;

std::string shape_string(const Shape& shape);  // "[64, 784]"
size_t shape_size(const Shape& shape);

class Tensor {
 public:
  Tensor() = default;
  explicit Tensor(Shape shape);  // owning, zero-filled
  Tensor(Shape shape, std::initializer_list<Scalar> values);
  // Owning, contents unspecified: for op outputs that are written in full before being read
  // (skips the zero fill, which costs as much as a cheap op).
  static Tensor uninitialized(Shape shape);
  static Tensor view(Scalar* data, Shape shape);        // non-owning
  static Tensor view(const Scalar* data, Shape shape);  // non-owning, caller promises no writes

  const Shape& shape() const { return shape_; }
  int rank() const { return static_cast<int>(shape_.size()); }
  int dim(int i) const { return shape_[i < 0 ? i + rank() : i]; }
  size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  bool owns() const { return static_cast<bool>(storage_); }

  Scalar* data() { return data_; }
  const Scalar* data() const { return data_; }
  Scalar& operator[](size_t i) { return data_[i]; }
  Scalar operator[](size_t i) const { return data_[i]; }

  // Same storage, new shape of the same size (a view when this is a view).
  Tensor reshaped(Shape shape) const;
  Tensor clone() const;  // owning deep copy
  void fill(Scalar value);
  void zero() { fill(Scalar(0)); }

 private:
  Shape shape_;
  size_t size_ = 0;
  std::shared_ptr<Scalar[]> storage_;
  Scalar* data_ = nullptr;
};

}  // namespace landscape
