// A static library linked into consumer_ext; its symbol must not be exported by the module.
extern "C" __attribute__((visibility("default"))) int consumer_static_helper(int x) {
  return x + 1;
}
