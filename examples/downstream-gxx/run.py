"""Load build/add_one_cpu.so (made by build.sh) and call it: the guide's "Load and Run Module"."""

import tvm_ffi
import numpy as np

# Load the compiled module
mod = tvm_ffi.load_module("build/add_one_cpu.so")

# Create input and output arrays
x = np.array([1, 2, 3, 4, 5], dtype=np.float32)
y = np.empty_like(x)

# Call the function
mod.add_one_cpu(x, y)
print("add_one_cpu:", x.tolist(), "->", y.tolist())
