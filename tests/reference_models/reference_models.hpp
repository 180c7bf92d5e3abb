// The study's four models as they were written by hand before they became shipped description
// files (models/*.json, src/models/described_model.*): the twins that tests/test_described_models
// compares the descriptions against, bit for bit. Not part of the library.
#pragma once

#include <memory>

#include "models/model.hpp"

namespace landscape::reference {

std::unique_ptr<Model> make_fcp(Activation a);
std::unique_ptr<Model> make_lenet(Activation a);
std::unique_ptr<Model> make_lstm(Activation a);
std::unique_ptr<Model> make_autoencoder(Activation a);

}  // namespace landscape::reference
