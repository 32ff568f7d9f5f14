/* The CPU's per-core arithmetic peak, measured: the ceiling every kernel
 * figure in docs/performance.md is a fraction of.
 *
 *   fp32 FMA:        vfmadd231ps on 512-bit (and 256-bit) registers
 *   int8 VNNI:       vpdpbusd (u8 x s8 -> i32, 4 products per lane) on
 *                    512-bit (and 256-bit) registers
 *
 * Each kernel runs independent accumulator chains (more than latency x
 * throughput needs) in a loop the compiler cannot shorten, on 1 thread and
 * on every core at once (one thread per core), and prints GFLOP/s or GOP/s
 * (an FMA counts 2 ops, a vpdpbusd lane 8: 4 multiplies + 4 adds) with the
 * best of several repeats.
 *
 *   cc -O2 -march=native -pthread bench/peak/peak.c -o peak && ./peak
 */
#include <immintrin.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define CHAINS 12
static const long kIterations = 20 * 1000 * 1000;

static double now(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return t.tv_sec + t.tv_nsec * 1e-9;
}

/* Each returns ops performed; `sink` keeps the results alive. */
static volatile float sinkF;
static volatile int sinkI;

static double fma512(long n) {
  __m512 acc[CHAINS], a = _mm512_set1_ps(1.0000001f), b = _mm512_set1_ps(0.9999999f);
  for (int c = 0; c < CHAINS; ++c)
    acc[c] = _mm512_set1_ps((float)c);
  for (long i = 0; i < n; ++i)
    for (int c = 0; c < CHAINS; ++c)
      acc[c] = _mm512_fmadd_ps(acc[c], a, b);
  float s = 0;
  for (int c = 0; c < CHAINS; ++c)
    s += _mm512_reduce_add_ps(acc[c]);
  sinkF = s;
  return (double)n * CHAINS * 16 * 2;
}

static double fma256(long n) {
  __m256 acc[CHAINS], a = _mm256_set1_ps(1.0000001f), b = _mm256_set1_ps(0.9999999f);
  for (int c = 0; c < CHAINS; ++c)
    acc[c] = _mm256_set1_ps((float)c);
  for (long i = 0; i < n; ++i)
    for (int c = 0; c < CHAINS; ++c)
      acc[c] = _mm256_fmadd_ps(acc[c], a, b);
  float s = 0;
  for (int c = 0; c < CHAINS; ++c) {
    float v[8];
    _mm256_storeu_ps(v, acc[c]);
    for (int j = 0; j < 8; ++j)
      s += v[j];
  }
  sinkF = s;
  return (double)n * CHAINS * 8 * 2;
}

static double vnni512(long n) {
  __m512i acc[CHAINS], a = _mm512_set1_epi8(3), b = _mm512_set1_epi8(-2);
  for (int c = 0; c < CHAINS; ++c)
    acc[c] = _mm512_set1_epi32(c);
  for (long i = 0; i < n; ++i)
    for (int c = 0; c < CHAINS; ++c)
      acc[c] = _mm512_dpbusd_epi32(acc[c], a, b);
  int s = 0;
  for (int c = 0; c < CHAINS; ++c)
    s += _mm512_reduce_add_epi32(acc[c]);
  sinkI = s;
  return (double)n * CHAINS * 16 * 8;
}

static double vnni256(long n) {
  __m256i acc[CHAINS], a = _mm256_set1_epi8(3), b = _mm256_set1_epi8(-2);
  for (int c = 0; c < CHAINS; ++c)
    acc[c] = _mm256_set1_epi32(c);
  for (long i = 0; i < n; ++i)
    for (int c = 0; c < CHAINS; ++c)
      acc[c] = _mm256_dpbusd_epi32(acc[c], a, b);
  int s = 0;
  for (int c = 0; c < CHAINS; ++c) {
    int v[8];
    _mm256_storeu_si256((__m256i *)v, acc[c]);
    for (int j = 0; j < 8; ++j)
      s += v[j];
  }
  sinkI = s;
  return (double)n * CHAINS * 8 * 8;
}

typedef double (*Kernel)(long);
typedef struct { Kernel kernel; double ops; } Job;

static void *runJob(void *arg) {
  Job *job = (Job *)arg;
  job->ops = job->kernel(kIterations);
  return 0;
}

/* Best-of-5 G(FL)OP/s of `kernel` on `threads` threads at once. */
static double measure(Kernel kernel, int threads) {
  double best = 0;
  for (int rep = 0; rep < 5; ++rep) {
    pthread_t ids[64];
    Job jobs[64];
    double start = now();
    for (int t = 0; t < threads; ++t) {
      jobs[t].kernel = kernel;
      pthread_create(&ids[t], 0, runJob, &jobs[t]);
    }
    double ops = 0;
    for (int t = 0; t < threads; ++t) {
      pthread_join(ids[t], 0);
      ops += jobs[t].ops;
    }
    double rate = ops / (now() - start) / 1e9;
    if (rate > best)
      best = rate;
  }
  return best;
}

int main(int argc, char **argv) {
  int cores = argc > 1 ? atoi(argv[1]) : (int)sysconf(_SC_NPROCESSORS_ONLN);
  if (cores < 1 || cores > 64)
    cores = 1;
  struct { const char *name, *unit; Kernel kernel; } kernels[] = {
      {"fp32 FMA, 512-bit (vfmadd231ps zmm)", "GFLOP/s", fma512},
      {"fp32 FMA, 256-bit (vfmadd231ps ymm)", "GFLOP/s", fma256},
      {"int8 VNNI, 512-bit (vpdpbusd zmm)", "GOP/s", vnni512},
      {"int8 VNNI, 256-bit (vpdpbusd ymm)", "GOP/s", vnni256},
  };
  printf("| kernel | 1 thread | %d threads | unit |\n|---|---|---|---|\n", cores);
  for (unsigned k = 0; k < sizeof(kernels) / sizeof(kernels[0]); ++k)
    printf("| %s | %.1f | %.1f | %s |\n", kernels[k].name,
           measure(kernels[k].kernel, 1), measure(kernels[k].kernel, cores),
           kernels[k].unit);
  return 0;
}
