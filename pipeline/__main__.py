import os
import platform
import sys

# The learned models are fitted with OpenBLAS, whose kernel for the CPU decides the order of its
# sums: AVX-512 machines write other last digits of the weights than AVX2 ones, however few are
# kept. One kernel on every x86-64 CPU (Haswell's, AVX2) keeps the model files the bytes that
# dvc.lock records. Set before NumPy loads OpenBLAS; a value the caller gives wins.
if platform.machine().lower() in ("x86_64", "amd64"):
    os.environ.setdefault("OPENBLAS_CORETYPE", "Haswell")

from pipeline.cli import main  # noqa: E402  (after the kernel is chosen)

sys.exit(main())
