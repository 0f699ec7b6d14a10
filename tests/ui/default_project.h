#pragma once
// The project most ui tests open (Fashion-MNIST, input -> IF hidden -> IF output, trained
// weights in .npy files beside it) and the Debian data set it reads; tests that need the data
// skip when dataset-fashion-mnist is not installed.
#include <QString>

inline const QString kDefaultProject =
    QString(SPIKELAB_SOURCE_DIR) + "/projects/fashion-mnist-if/fashion-mnist-if.json";
inline const char* const kFashionImages =
    "/usr/share/datasets/fashion-mnist/t10k-images-idx3-ubyte.gz";
