// cubin_launcher.h over the CUDA runtime API (the default with CUDA 12.8 or newer).
#include <cuda_runtime.h>
#if CUDART_VERSION >= 12080
#define TVM_FFI_CUBIN_LAUNCHER_USE_DRIVER_API 0
#define CUBIN_SUITE CubinLauncherRuntimeAPI
#include "cubin_launcher_tests.inc"
#endif
