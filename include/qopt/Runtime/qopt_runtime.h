/*===- qopt_runtime.h - load and run qopt-compiled models ------*- C -*-===*\
|*                                                                            *|
|* The deploy runtime: a C library with no LLVM/MLIR dependency. It loads a   *|
|* model compiled with `qopt-compile --emit=lib`, reads its signature, checks *|
|* the caller's inputs against it and runs it. Every call that can fail       *|
|* returns QOPT_OK or an error code and leaves a message readable with        *|
|* qopt_model_last_error().                                                   *|
|*                                                                            *|
\*===----------------------------------------------------------------------===*/

#ifndef QOPT_RUNTIME_QOPT_RUNTIME_H
#define QOPT_RUNTIME_QOPT_RUNTIME_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define QOPT_RUNTIME_ABI_VERSION 2
#define QOPT_MAX_RANK 16

typedef enum {
  QOPT_F32, QOPT_F16, QOPT_BF16, QOPT_F64,
  QOPT_I8, QOPT_U8, QOPT_I16, QOPT_U16,
  QOPT_I32, QOPT_U32, QOPT_I64, QOPT_U64,
  QOPT_BOOL
} qopt_dtype;

typedef enum {
  QOPT_OK = 0,
  QOPT_ERROR_LOAD = 1,      /* dlopen failed, missing symbols, bad ABI */
  QOPT_ERROR_SIGNATURE = 2, /* the embedded signature does not parse */
  QOPT_ERROR_INPUT = 3,     /* wrong count / dtype / rank / shape */
  QOPT_ERROR_MEMORY = 4,
  QOPT_ERROR_DEVICE = 5     /* no GPU / driver, or a CUDA call failed */
} qopt_status;

/* One input or output as the model declares it. dims[i] is -1 where the dim
 * is dynamic; dim_params[i] is its symbolic name ("" when none). */
typedef struct {
  const char *name;
  qopt_dtype dtype;
  int32_t rank;
  const int64_t *dims;
  const char *const *dim_params;
} qopt_tensor_info;

/* A dense row-major tensor. For outputs the runtime fills every field and
 * allocates `data`; release it with qopt_tensor_release(). */
typedef struct {
  qopt_dtype dtype;
  int32_t rank;
  int64_t dims[QOPT_MAX_RANK];
  void *data;
} qopt_tensor;

typedef struct qopt_model qopt_model;

/* Loads a compiled model. On failure *model is NULL and the status says why;
 * a message is in `error` (may be NULL) of `error_size` bytes. */
qopt_status qopt_model_load(const char *path, qopt_model **model, char *error,
                            size_t error_size);
void qopt_model_free(qopt_model *model);

/* qopt_model_load for a model compiled with --target=cuda, on GPU `device`
 * (qopt_model_load uses device 0; CPU models ignore it). The driver is
 * opened here: a machine without an NVIDIA driver or GPU gets
 * QOPT_ERROR_DEVICE and a one-line message. */
qopt_status qopt_model_load_device(const char *path, int32_t device,
                                   qopt_model **model, char *error,
                                   size_t error_size);

/* "cpu" or "cuda". */
const char *qopt_model_target(const qopt_model *model);

/* CUDA models: the device time of the last successful qopt_model_run in
 * milliseconds (CUDA events around its copies and kernels); -1 for CPU
 * models or before a run. */
double qopt_model_last_device_ms(const qopt_model *model);

int32_t qopt_model_num_inputs(const qopt_model *model);
int32_t qopt_model_num_outputs(const qopt_model *model);
const qopt_tensor_info *qopt_model_input(const qopt_model *model, int32_t i);
const qopt_tensor_info *qopt_model_output(const qopt_model *model, int32_t i);

/* Runs the model. `inputs` has qopt_model_num_inputs() entries in signature
 * order; `outputs` has room for qopt_model_num_outputs() and is filled.
 * Inputs are checked first (count, dtype, rank, static dims, symbolic dims
 * that must agree); nothing runs when one is wrong. */
qopt_status qopt_model_run(qopt_model *model, const qopt_tensor *inputs,
                           int32_t num_inputs, qopt_tensor *outputs);

/* Sets the number of threads the model's parallel loops use (models are
 * compiled with OpenMP worksharing; the default is one thread per core).
 * A model compiled without parallel loops ignores it. n must be >= 1. */
qopt_status qopt_model_set_num_threads(qopt_model *model, int32_t n);

/* The message of the last failed call on `model`. */
const char *qopt_model_last_error(const qopt_model *model);

void qopt_tensor_release(qopt_tensor *tensor);

/* Bytes per element; names "f32", "u8", "bool", ... and back (-1 unknown). */
size_t qopt_dtype_size(qopt_dtype dtype);
const char *qopt_dtype_name(qopt_dtype dtype);
int qopt_dtype_from_name(const char *name);
int64_t qopt_tensor_num_elements(const qopt_tensor *tensor);

#ifdef __cplusplus
}
#endif

#endif /* QOPT_RUNTIME_QOPT_RUNTIME_H */
