/*===- CUDAShim.c - the CUDA driver shim of a --target=cuda model -*- C -*-===*\
|*                                                                            *|
|* Compiled into every model built with `qopt-compile --target=cuda` (the     *|
|* compiler embeds this file and builds it with the model's C support code).  *|
|* It implements the `mgpu*` functions MLIR's GPU-to-LLVM lowering calls      *|
|* (module load, function lookup, launch, alloc/free, memcpy, memset,         *|
|* streams, events) over the CUDA driver API, which it loads with             *|
|* dlopen("libcuda.so.1") when the runtime initializes the model: nothing     *|
|* CUDA is needed to build or link a model, and a machine without a driver    *|
|* or GPU gets one clear error from qopt_model_load.                          *|
|*                                                                            *|
|* Errors never abort: the first failing call records a message, and every    *|
|* later device call is skipped; the runtime reads the message after a run    *|
|* (qopt_cuda_last_error) and fails that run. QOPT_CUDA_ARCH (e.g. 90 for     *|
|* sm_90) is the architecture the kernels were compiled for.                  *|
|*                                                                            *|
\*===----------------------------------------------------------------------===*/

#include <dlfcn.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifndef QOPT_CUDA_ARCH
#define QOPT_CUDA_ARCH 80
#endif

#define QOPT_EXPORT __attribute__((visibility("default")))
#define QOPT_INTERNAL __attribute__((visibility("hidden")))

typedef int CUresult;
typedef int CUdevice;
typedef void *CUcontext, *CUmodule, *CUfunction, *CUstream, *CUevent;
typedef unsigned long long CUdeviceptr;

enum {
  kAttrComputeCapabilityMajor = 75,
  kAttrComputeCapabilityMinor = 76,
  kEventDisableTiming = 2,
  kStreamNonBlocking = 1
};

/* The driver entry points the shim uses (ABI-stable _v2 names where the
 * driver has them). */
static struct {
  void *lib;
  CUresult (*init)(unsigned);
  CUresult (*deviceGetCount)(int *);
  CUresult (*deviceGet)(CUdevice *, int);
  CUresult (*deviceGetAttribute)(int *, int, CUdevice);
  CUresult (*primaryCtxRetain)(CUcontext *, CUdevice);
  CUresult (*primaryCtxRelease)(CUdevice);
  CUresult (*ctxSetCurrent)(CUcontext);
  CUresult (*moduleLoadData)(CUmodule *, const void *);
  CUresult (*moduleUnload)(CUmodule);
  CUresult (*moduleGetFunction)(CUfunction *, CUmodule, const char *);
  CUresult (*launchKernel)(CUfunction, unsigned, unsigned, unsigned,
                           unsigned, unsigned, unsigned, unsigned, CUstream,
                           void **, void **);
  CUresult (*memAlloc)(CUdeviceptr *, size_t);
  CUresult (*memFree)(CUdeviceptr);
  CUresult (*memcpyAsync)(CUdeviceptr, CUdeviceptr, size_t, CUstream);
  CUresult (*memcpyHtoD)(CUdeviceptr, const void *, size_t);
  CUresult (*memsetD32Async)(CUdeviceptr, unsigned, size_t, CUstream);
  CUresult (*memsetD16Async)(CUdeviceptr, unsigned short, size_t, CUstream);
  CUresult (*streamCreate)(CUstream *, unsigned);
  CUresult (*streamDestroy)(CUstream);
  CUresult (*streamSynchronize)(CUstream);
  CUresult (*streamWaitEvent)(CUstream, CUevent, unsigned);
  CUresult (*eventCreate)(CUevent *, unsigned);
  CUresult (*eventDestroy)(CUevent);
  CUresult (*eventRecord)(CUevent, CUstream);
  CUresult (*eventSynchronize)(CUevent);
  CUresult (*eventElapsedTime)(float *, CUevent, CUevent);
  CUresult (*getErrorString)(CUresult, const char **);
} cu;

static int ready;          /* qopt_cuda_init succeeded */
static int failed;         /* an error was recorded */
static char lastError[512];
static CUdevice device;
static CUcontext context;
static CUstream stream;    /* every launch and copy of the model */
static CUevent timerStart, timerStop;

static void fail(const char *message) {
  if (failed)
    return;
  failed = 1;
  snprintf(lastError, sizeof(lastError), "%s", message);
}

static void failCall(const char *what, CUresult result) {
  const char *text = 0;
  char message[sizeof(lastError)];
  if (cu.getErrorString)
    cu.getErrorString(result, &text);
  snprintf(message, sizeof(message), "CUDA: %s failed: %s (error %d)", what,
           text ? text : "unknown error", result);
  fail(message);
}

/* True when the device can be used; records why not otherwise. */
static int usable(void) {
  if (!ready)
    fail("CUDA: the model was not initialized (load it with "
         "qopt_model_load)");
  return ready && !failed;
}

#define CHECK(call, what)                                                      \
  do {                                                                         \
    CUresult result_ = (call);                                                 \
    if (result_ != 0)                                                          \
      failCall(what, result_);                                                 \
  } while (0)

/* ---- lazily loaded GPU modules ---------------------------------------- */

/* The host code loads each gpu.binary from a global constructor, before the
 * runtime has initialized the device: the load only records the image, and
 * the first function lookup after initialization loads it. */
typedef struct {
  const void *image;
  CUmodule module;
  int count;
  struct { const char *name; CUfunction fn; } functions[64];
} LazyModule;

QOPT_INTERNAL void *mgpuModuleLoad(void *data, uint64_t size) {
  (void)size;
  LazyModule *m = (LazyModule *)calloc(1, sizeof(LazyModule));
  if (m)
    m->image = data;
  return m;
}

QOPT_INTERNAL void *mgpuModuleLoadJIT(void *data, int optLevel) {
  (void)optLevel;
  return mgpuModuleLoad(data, 0);
}

QOPT_INTERNAL void mgpuModuleUnload(void *handle) {
  LazyModule *m = (LazyModule *)handle;
  if (!m)
    return;
  if (m->module && ready)
    cu.moduleUnload(m->module);
  free(m);
}

QOPT_INTERNAL void *mgpuModuleGetFunction(void *handle, const char *name) {
  LazyModule *m = (LazyModule *)handle;
  if (!m || !usable())
    return 0;
  for (int i = 0; i < m->count; ++i)
    if (m->functions[i].name == name || !strcmp(m->functions[i].name, name))
      return m->functions[i].fn;
  if (!m->module) {
    CHECK(cu.moduleLoadData(&m->module, m->image),
          "loading the model's GPU code (cuModuleLoadData)");
    if (failed)
      return 0;
  }
  CUfunction fn = 0;
  CHECK(cu.moduleGetFunction(&fn, m->module, name), "cuModuleGetFunction");
  if (fn && m->count < (int)(sizeof(m->functions) / sizeof(m->functions[0]))) {
    m->functions[m->count].name = name;
    m->functions[m->count].fn = fn;
    ++m->count;
  }
  return fn;
}

QOPT_INTERNAL void mgpuLaunchKernel(void *fn, intptr_t gridX, intptr_t gridY,
                                    intptr_t gridZ, intptr_t blockX,
                                    intptr_t blockY, intptr_t blockZ,
                                    int32_t smem, void *s, void **params,
                                    void **extra, size_t paramsCount) {
  (void)s;
  (void)paramsCount;
  if (!fn || !usable())
    return;
  CHECK(cu.launchKernel((CUfunction)fn, (unsigned)gridX, (unsigned)gridY,
                        (unsigned)gridZ, (unsigned)blockX, (unsigned)blockY,
                        (unsigned)blockZ, (unsigned)smem, stream, params,
                        extra),
        "cuLaunchKernel");
}

/* ---- streams and events: one in-order stream per model ---------------- */

QOPT_INTERNAL void *mgpuStreamCreate(void) { return usable() ? stream : 0; }
QOPT_INTERNAL void mgpuStreamDestroy(void *s) { (void)s; }
QOPT_INTERNAL void mgpuStreamSynchronize(void *s) {
  (void)s;
  if (usable())
    CHECK(cu.streamSynchronize(stream), "cuStreamSynchronize");
}
QOPT_INTERNAL void mgpuStreamWaitEvent(void *s, void *event) {
  (void)s;
  if (usable() && event)
    CHECK(cu.streamWaitEvent(stream, (CUevent)event, 0), "cuStreamWaitEvent");
}
QOPT_INTERNAL void *mgpuEventCreate(void) {
  CUevent event = 0;
  if (usable())
    CHECK(cu.eventCreate(&event, kEventDisableTiming), "cuEventCreate");
  return event;
}
QOPT_INTERNAL void mgpuEventDestroy(void *event) {
  if (ready && event)
    cu.eventDestroy((CUevent)event);
}
QOPT_INTERNAL void mgpuEventSynchronize(void *event) {
  if (usable() && event)
    CHECK(cu.eventSynchronize((CUevent)event), "cuEventSynchronize");
}
QOPT_INTERNAL void mgpuEventRecord(void *event, void *s) {
  (void)s;
  if (usable() && event)
    CHECK(cu.eventRecord((CUevent)event, stream), "cuEventRecord");
}
QOPT_INTERNAL void mgpuSetDefaultDevice(int32_t ordinal) { (void)ordinal; }

/* ---- memory ----------------------------------------------------------- */

/* Device buffers. A run frees its intermediates and the next run asks for
 * the same sizes, so freed buffers are kept by exact size and reused (all
 * work is on one in-order stream, so reuse is safe); cuMemAlloc/cuMemFree
 * leave the steady state. Weights are uploaded once and kept. */
typedef struct { void *ptr; size_t size; } Block;
typedef struct { Block *items; size_t count, capacity; } BlockList;
static BlockList live, spare, weights;
static const void **weightHosts;

static int push(BlockList *list, void *ptr, size_t size) {
  if (list->count == list->capacity) {
    size_t capacity = list->capacity ? 2 * list->capacity : 64;
    Block *items = (Block *)realloc(list->items, capacity * sizeof(Block));
    if (!items)
      return 0;
    list->items = items;
    list->capacity = capacity;
  }
  list->items[list->count].ptr = ptr;
  list->items[list->count].size = size;
  ++list->count;
  return 1;
}

static void *deviceAlloc(size_t size) {
  CUdeviceptr ptr = 0;
  CHECK(cu.memAlloc(&ptr, size ? size : 1), "cuMemAlloc");
  return (void *)(uintptr_t)ptr;
}

QOPT_INTERNAL void *mgpuMemAlloc(uint64_t size, void *s, int8_t isHostShared) {
  (void)s;
  (void)isHostShared;
  if (!usable())
    return 0;
  void *ptr = 0;
  for (size_t i = spare.count; i-- > 0;)
    if (spare.items[i].size == size) {
      ptr = spare.items[i].ptr;
      spare.items[i] = spare.items[--spare.count];
      break;
    }
  if (!ptr)
    ptr = deviceAlloc(size);
  if (ptr && !push(&live, ptr, size))
    fail("CUDA shim: out of host memory");
  return ptr;
}

QOPT_INTERNAL void mgpuMemFree(void *ptr, void *s) {
  (void)s;
  for (size_t i = 0; ptr && i < live.count; ++i)
    if (live.items[i].ptr == ptr) {
      if (!push(&spare, ptr, live.items[i].size) && ready)
        cu.memFree((CUdeviceptr)(uintptr_t)ptr);
      live.items[i] = live.items[--live.count];
      return;
    }
}

QOPT_INTERNAL void mgpuMemcpy(void *dst, void *src, size_t size, void *s) {
  (void)s;
  if (size && usable())
    CHECK(cu.memcpyAsync((CUdeviceptr)(uintptr_t)dst,
                         (CUdeviceptr)(uintptr_t)src, size, stream),
          "cuMemcpyAsync");
}

QOPT_INTERNAL void mgpuMemset32(void *dst, unsigned value, size_t count,
                                void *s) {
  (void)s;
  if (count && usable())
    CHECK(cu.memsetD32Async((CUdeviceptr)(uintptr_t)dst, value, count, stream),
          "cuMemsetD32Async");
}

QOPT_INTERNAL void mgpuMemset16(void *dst, unsigned short value, size_t count,
                                void *s) {
  (void)s;
  if (count && usable())
    CHECK(cu.memsetD16Async((CUdeviceptr)(uintptr_t)dst, value, count, stream),
          "cuMemsetD16Async");
}

/* The device copy of a constant global (a weight): uploaded on first use,
 * kept while the model is loaded. */
QOPT_INTERNAL void *qopt_cuda_device_global(const void *host, int64_t bytes) {
  for (size_t i = 0; i < weights.count; ++i)
    if (weightHosts[i] == host)
      return weights.items[i].ptr;
  if (!usable())
    return 0;
  void *ptr = deviceAlloc((size_t)bytes);
  if (!ptr)
    return 0;
  if (bytes)
    CHECK(cu.memcpyHtoD((CUdeviceptr)(uintptr_t)ptr, host, (size_t)bytes),
          "uploading a weight (cuMemcpyHtoD)");
  const void **hosts = (const void **)realloc(
      weightHosts, (weights.count + 1) * sizeof(const void *));
  if (!hosts || !push(&weights, ptr, (size_t)bytes)) {
    fail("CUDA shim: out of host memory");
    return ptr;
  }
  weightHosts = hosts;
  weightHosts[weights.count - 1] = host;
  return ptr;
}

/* ---- entry points the runtime calls ----------------------------------- */

#define LOAD(field, name)                                                      \
  do {                                                                         \
    *(void **)&cu.field = dlsym(cu.lib, name);                                 \
    if (!cu.field) {                                                           \
      snprintf(error, size, "CUDA: the driver lacks %s (update the NVIDIA "    \
               "driver)", name);                                               \
      return 1;                                                                \
    }                                                                          \
  } while (0)

#define INIT_CHECK(call, what)                                                 \
  do {                                                                         \
    CUresult result_ = (call);                                                 \
    if (result_ != 0) {                                                        \
      const char *text_ = 0;                                                   \
      cu.getErrorString(result_, &text_);                                      \
      snprintf(error, size, "CUDA: %s failed: %s (error %d)", what,            \
               text_ ? text_ : "unknown error", result_);                      \
      return 1;                                                                \
    }                                                                          \
  } while (0)

/* Opens the driver, selects device `ordinal` and creates the model's
 * stream. 0 on success; otherwise 1 with a one-line message in `error`. */
QOPT_EXPORT int qopt_cuda_init(int32_t ordinal, char *error, size_t size) {
  if (ready)
    return 0;
  cu.lib = dlopen("libcuda.so.1", RTLD_NOW | RTLD_LOCAL);
  if (!cu.lib) {
    const char *why = dlerror();
    snprintf(error, size,
             "CUDA: no NVIDIA driver (%s); this model was compiled with "
             "--target=cuda and needs an NVIDIA GPU with its driver "
             "(or recompile it with --target=cpu)",
             why ? why : "libcuda.so.1 not found");
    return 1;
  }
  LOAD(getErrorString, "cuGetErrorString");
  LOAD(init, "cuInit");
  LOAD(deviceGetCount, "cuDeviceGetCount");
  LOAD(deviceGet, "cuDeviceGet");
  LOAD(deviceGetAttribute, "cuDeviceGetAttribute");
  LOAD(primaryCtxRetain, "cuDevicePrimaryCtxRetain");
  LOAD(primaryCtxRelease, "cuDevicePrimaryCtxRelease_v2");
  LOAD(ctxSetCurrent, "cuCtxSetCurrent");
  LOAD(moduleLoadData, "cuModuleLoadData");
  LOAD(moduleUnload, "cuModuleUnload");
  LOAD(moduleGetFunction, "cuModuleGetFunction");
  LOAD(launchKernel, "cuLaunchKernel");
  LOAD(memAlloc, "cuMemAlloc_v2");
  LOAD(memFree, "cuMemFree_v2");
  LOAD(memcpyAsync, "cuMemcpyAsync");
  LOAD(memcpyHtoD, "cuMemcpyHtoD_v2");
  LOAD(memsetD32Async, "cuMemsetD32Async");
  LOAD(memsetD16Async, "cuMemsetD16Async");
  LOAD(streamCreate, "cuStreamCreate");
  LOAD(streamDestroy, "cuStreamDestroy_v2");
  LOAD(streamSynchronize, "cuStreamSynchronize");
  LOAD(streamWaitEvent, "cuStreamWaitEvent");
  LOAD(eventCreate, "cuEventCreate");
  LOAD(eventDestroy, "cuEventDestroy_v2");
  LOAD(eventRecord, "cuEventRecord");
  LOAD(eventSynchronize, "cuEventSynchronize");
  LOAD(eventElapsedTime, "cuEventElapsedTime");
  INIT_CHECK(cu.init(0), "cuInit");
  int count = 0;
  INIT_CHECK(cu.deviceGetCount(&count), "cuDeviceGetCount");
  if (ordinal < 0 || ordinal >= count) {
    snprintf(error, size, "CUDA: no device %d (this machine has %d)", ordinal,
             count);
    return 1;
  }
  INIT_CHECK(cu.deviceGet(&device, ordinal), "cuDeviceGet");
  int major = 0, minor = 0;
  INIT_CHECK(cu.deviceGetAttribute(&major, kAttrComputeCapabilityMajor, device),
             "cuDeviceGetAttribute");
  INIT_CHECK(cu.deviceGetAttribute(&minor, kAttrComputeCapabilityMinor, device),
             "cuDeviceGetAttribute");
  if (major * 10 + minor < QOPT_CUDA_ARCH) {
    snprintf(error, size,
             "CUDA: device %d is sm_%d%d, the model was compiled for sm_%d "
             "(recompile with --cuda-arch=sm_%d%d)",
             ordinal, major, minor, QOPT_CUDA_ARCH, major, minor);
    return 1;
  }
  INIT_CHECK(cu.primaryCtxRetain(&context, device), "cuDevicePrimaryCtxRetain");
  INIT_CHECK(cu.ctxSetCurrent(context), "cuCtxSetCurrent");
  INIT_CHECK(cu.streamCreate(&stream, kStreamNonBlocking), "cuStreamCreate");
  INIT_CHECK(cu.eventCreate(&timerStart, 0), "cuEventCreate");
  INIT_CHECK(cu.eventCreate(&timerStop, 0), "cuEventCreate");
  ready = 1;
  return 0;
}

/* The first error of the model's device calls, or NULL. */
QOPT_EXPORT const char *qopt_cuda_last_error(void) {
  return failed ? lastError : 0;
}

/* Makes the calling thread's current context the model's (a run may come
 * from another thread than the load). */
QOPT_EXPORT void qopt_cuda_begin_run(void) {
  if (ready) {
    cu.ctxSetCurrent(context);
    cu.eventRecord(timerStart, stream);
  }
}

/* Milliseconds of device time since qopt_cuda_begin_run (CUDA events), or
 * -1 on error. Synchronizes the stream. */
QOPT_EXPORT double qopt_cuda_end_run(void) {
  float ms = -1;
  if (!usable())
    return -1;
  CHECK(cu.eventRecord(timerStop, stream), "cuEventRecord");
  CHECK(cu.eventSynchronize(timerStop), "cuEventSynchronize");
  if (!failed)
    CHECK(cu.eventElapsedTime(&ms, timerStart, timerStop),
          "cuEventElapsedTime");
  return failed ? -1 : ms;
}

__attribute__((destructor)) static void releaseDevice(void) {
  if (!ready)
    return;
  cu.streamSynchronize(stream);
  for (size_t i = 0; i < live.count; ++i)
    cu.memFree((CUdeviceptr)(uintptr_t)live.items[i].ptr);
  for (size_t i = 0; i < spare.count; ++i)
    cu.memFree((CUdeviceptr)(uintptr_t)spare.items[i].ptr);
  for (size_t i = 0; i < weights.count; ++i)
    cu.memFree((CUdeviceptr)(uintptr_t)weights.items[i].ptr);
  free(live.items);
  free(spare.items);
  free(weights.items);
  free(weightHosts);
  cu.eventDestroy(timerStart);
  cu.eventDestroy(timerStop);
  cu.streamDestroy(stream);
  cu.primaryCtxRelease(device);
  ready = 0;
  /* libcuda stays loaded: unloading a driver library at exit is unsafe. */
}
