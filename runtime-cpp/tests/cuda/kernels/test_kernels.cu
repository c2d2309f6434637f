// Kernels of the CUDA helper tests, compiled by nvcc to a cubin and to a fatbin (never to host
// code) and embedded into tvm_ffi_cuda_tests. extern "C" keeps their names unmangled.

// x[i] += 1 for i < n.
extern "C" __global__ void add_one(float* x, int n) {
  int i = blockIdx.x * blockDim.x + threadIdx.x;
  if (i < n) x[i] += 1.0f;
}

// out[block] = rank of the block inside its thread-block cluster; -1 where clusters do not exist
// (code compiled for architectures before sm_90).
extern "C" __global__ void cluster_rank(int* out) {
  if (threadIdx.x != 0) return;
#if defined(__CUDA_ARCH__) && __CUDA_ARCH__ >= 900
  unsigned int rank;
  asm volatile("mov.u32 %0, %%cluster_ctarank;" : "=r"(rank));
  out[blockIdx.x] = static_cast<int>(rank);
#else
  out[blockIdx.x] = -1;
#endif
}

// Writes n ints through dynamic shared memory: out[i] = 3 * i.
extern "C" __global__ void through_dynamic_smem(int* out, int n) {
  extern __shared__ int buffer[];
  for (int i = threadIdx.x; i < n; i += blockDim.x) buffer[i] = 3 * i;
  __syncthreads();
  for (int i = threadIdx.x; i < n; i += blockDim.x) out[i] = buffer[i];
}
