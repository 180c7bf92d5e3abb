#!/usr/bin/python3
"""Golden file for tests/test_kernel_pca.cpp: scikit-learn's KernelPCA and PCA on small fixed data.

Run with Debian's python3-sklearn:   /usr/bin/python3 scripts/make_kpca_golden.py
Writes reference_outputs/kpca_golden.csv, long format `case,array,row,col,value` (values with
17 significant digits, float64), after '#' lines that give the provenance. Arrays:
  data/X [12,5], data/Y [4,5]       the fitted vectors and the new vectors
  CASE/eigenvalues [1,3]            KernelPCA.eigenvalues_ (PCA: explained_variance_)
  CASE/fit_transform [12,3]         KernelPCA.fit_transform(X) (PCA: PCA.fit_transform(X))
  CASE/transform [4,3]              .transform(Y)
Cases (the C++ test holds the same table; landscape's flags in brackets):
  rbf_default    KernelPCA(kernel='rbf')                       [--kernel rbf: 2 sigma^2 = P]
  rbf_sigma2     KernelPCA(kernel='rbf', gamma=1/(2*0.8))      [--sigma2 0.8]
  linear         KernelPCA(kernel='linear')
  poly_default   KernelPCA(kernel='poly') gamma=1/P degree=3 coef0=1
  poly_set       KernelPCA(kernel='poly', gamma=0.5, degree=2, coef0=0.3)
  sigmoid_default KernelPCA(kernel='sigmoid') gamma=1/P coef0=1
  sigmoid_set    KernelPCA(kernel='sigmoid', gamma=0.2, coef0=-0.1)
  pca            PCA(svd_solver='full')
"""
import os
import sys

import numpy as np
import sklearn
from sklearn.decomposition import PCA, KernelPCA

COMPONENTS = 3
CASES = [
    ("rbf_default", dict(kernel="rbf")),
    ("rbf_sigma2", dict(kernel="rbf", gamma=1.0 / (2 * 0.8))),
    ("linear", dict(kernel="linear")),
    ("poly_default", dict(kernel="poly")),
    ("poly_set", dict(kernel="poly", gamma=0.5, degree=2, coef0=0.3)),
    ("sigmoid_default", dict(kernel="sigmoid")),
    ("sigmoid_set", dict(kernel="sigmoid", gamma=0.2, coef0=-0.1)),
]


def main():
    rng = np.random.RandomState(20260)
    # Two loose groups with an offset, so the leading eigenvalues are well separated.
    X = rng.normal(size=(12, 5))
    X[6:] += np.array([1.5, -0.5, 0.8, 0.0, 0.3])
    Y = rng.normal(size=(4, 5))

    rows = []

    def put(case, name, a):
        a = np.atleast_2d(np.asarray(a, dtype=np.float64))
        for i in range(a.shape[0]):
            for j in range(a.shape[1]):
                rows.append("%s,%s,%d,%d,%.17g" % (case, name, i, j, a[i, j]))

    put("data", "X", X)
    put("data", "Y", Y)
    for case, kwargs in CASES:
        kp = KernelPCA(n_components=COMPONENTS, eigen_solver="dense", **kwargs)
        fitted = kp.fit_transform(X)
        ev = kp.eigenvalues_
        assert np.all(ev > 1e-6 * ev[0]), (case, ev)
        assert np.all(np.diff(ev) < -1e-6 * ev[0]), (case, ev)  # distinct: signs are defined
        put(case, "eigenvalues", ev)
        put(case, "fit_transform", fitted)
        put(case, "transform", kp.transform(Y))
    pca = PCA(n_components=COMPONENTS, svd_solver="full")
    put("pca", "fit_transform", pca.fit_transform(X))
    put("pca", "eigenvalues", pca.explained_variance_)
    put("pca", "transform", pca.transform(Y))

    root = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
    out = os.path.join(root, "reference_outputs", "kpca_golden.csv")
    with open(out, "w") as f:
        f.write("# kernel PCA golden file, made by scripts/make_kpca_golden.py\n")
        f.write("# python %s, numpy %s, scikit-learn %s, eigen_solver='dense', float64\n"
                % (sys.version.split()[0], np.__version__, sklearn.__version__))
        f.write("case,array,row,col,value\n")
        f.write("\n".join(rows) + "\n")
    print("wrote", out, len(rows), "values")


if __name__ == "__main__":
    main()
