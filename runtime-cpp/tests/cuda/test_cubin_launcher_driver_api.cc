// cubin_launcher.h over the CUDA driver API, opened at first use (nothing links libcuda).
#define TVM_FFI_CUBIN_LAUNCHER_USE_DRIVER_API 1
#define CUBIN_SUITE CubinLauncherDriverAPI
#include "cubin_launcher_tests.inc"
