#!/usr/bin/env node
// Times an ONNX model with ONNX Runtime (CPU execution provider) so that it
// can be compared with qopt-run in the same benchmark run.
//
//   node ort-bench.js MODEL.onnx --input NAME=FILE.npy [--input ...]
//        [--threads=T] [--warmup=W] [--benchmark=N] [--output-dir DIR]
//
// Session: intraOpNumThreads=T, interOpNumThreads=1, executionMode
// 'sequential', graphOptimizationLevel 'all', CPU provider only.
// Prints, like qopt-run --benchmark:
//   runs=N min_ms=... median_ms=... max_ms=... peak_rss_mib=... base_rss_mib=...
// (peak: the process's peak resident set; base: its resident set before the
// session was created, i.e. Node and the loaded ORT library).
// (median = sorted[floor(N/2)], the same rule qopt-run uses). Each timed
// interval is one `await session.run(feeds)`, which includes allocating the
// outputs and ORT's Node binding overhead (tens of microseconds).
// --output-dir writes each output as NAME.npy, the way qopt-run does.
'use strict';

const fs = require('fs');
const path = require('path');

function die(message) {
  process.stderr.write(`ort-bench: ${message}\n`);
  process.exit(1);
}

function usage() {
  process.stderr.write(
      'usage: node ort-bench.js MODEL.onnx --input NAME=FILE.npy [--input ...]\n' +
      '       [--threads=T] [--warmup=W] [--benchmark=N] [--output-dir DIR] [--signature]\n');
}

// ---- .npy I/O ---------------------------------------------------------------

// numpy descr (without byte-order char) -> ORT tensor type, typed array.
const DTYPES = {
  f4: ['float32', Float32Array],
  f8: ['float64', Float64Array],
  i1: ['int8', Int8Array],
  u1: ['uint8', Uint8Array],
  i4: ['int32', Int32Array],
  i8: ['int64', BigInt64Array],
  b1: ['bool', Uint8Array],
};

function readNpy(file) {
  const buf = fs.readFileSync(file);
  const magic = Buffer.from([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]); // \x93NUMPY
  if (buf.length < 10 || !buf.subarray(0, 6).equals(magic))
    die(`${file}: not a .npy file (bad magic)`);
  const major = buf[6];
  let headerLen, offset;
  if (major === 1) {
    headerLen = buf.readUInt16LE(8);
    offset = 10;
  } else if (major === 2 || major === 3) {
    headerLen = buf.readUInt32LE(8);
    offset = 12;
  } else {
    die(`${file}: unsupported .npy version ${major}.${buf[7]}`);
  }
  const header = buf.toString('latin1', offset, offset + headerLen);
  const descr = /'descr'\s*:\s*'([^']*)'/.exec(header);
  const fortran = /'fortran_order'\s*:\s*(True|False)/.exec(header);
  const shape = /'shape'\s*:\s*\(([^)]*)\)/.exec(header);
  if (!descr || !fortran || !shape) die(`${file}: cannot parse header ${header.trim()}`);
  if (fortran[1] === 'True') die(`${file}: fortran_order arrays are not supported`);
  const order = descr[1][0];
  const code = descr[1].slice(1);
  if (!(code in DTYPES)) die(`${file}: unsupported dtype '${descr[1]}'`);
  if (order === '>' && !['i1', 'u1', 'b1'].includes(code))
    die(`${file}: big-endian data is not supported`);
  const dims = shape[1].split(',').map((s) => s.trim()).filter((s) => s.length)
                   .map((s) => parseInt(s, 10));
  const count = dims.reduce((a, b) => a * b, 1);
  const [type, Ctor] = DTYPES[code];
  const dataStart = offset + headerLen;
  const bytes = count * Ctor.BYTES_PER_ELEMENT;
  if (buf.length - dataStart < bytes)
    die(`${file}: ${buf.length - dataStart} data bytes, shape [${dims}] needs ${bytes}`);
  // Copy into a fresh, aligned ArrayBuffer (the file buffer may be unaligned).
  const data = new Ctor(count);
  new Uint8Array(data.buffer).set(buf.subarray(dataStart, dataStart + bytes));
  return { type, data, dims };
}

function writeNpy(file, tensor) {
  const code = Object.keys(DTYPES).find((k) => DTYPES[k][0] === tensor.type);
  if (!code) die(`cannot write output of type ${tensor.type} as .npy`);
  const descr = (code === 'i1' || code === 'u1' || code === 'b1' ? '|' : '<') + code;
  const shape = tensor.dims.length === 1 ? `(${tensor.dims[0]},)` : `(${tensor.dims.join(', ')})`;
  let header = `{'descr': '${descr}', 'fortran_order': False, 'shape': ${shape}, }`;
  // Pad so that magic(6) + version(2) + len(2) + header + '\n' is a multiple of 64.
  const total = Math.ceil((10 + header.length + 1) / 64) * 64;
  header = header.padEnd(total - 10 - 1, ' ') + '\n';
  const pre = Buffer.alloc(10);
  Buffer.from([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0]).copy(pre);
  pre.writeUInt16LE(header.length, 8);
  const d = tensor.data;
  const body = Buffer.from(d.buffer, d.byteOffset, d.byteLength);
  fs.writeFileSync(file, Buffer.concat([pre, Buffer.from(header, 'latin1'), body]));
}

// ---- main -------------------------------------------------------------------

function parseArgs(argv) {
  const opts = { inputs: [], threads: 1, warmup: 3, benchmark: 0, outputDir: '', signature: false };
  if (argv.length < 1 || argv[0] === '--help') {
    usage();
    process.exit(argv.length < 1 ? 2 : 0);
  }
  opts.model = argv[0];
  for (let i = 1; i < argv.length; ++i) {
    const arg = argv[i];
    const value = (flag) => {
      if (arg.startsWith(flag + '=')) return arg.slice(flag.length + 1);
      if (arg === flag && i + 1 < argv.length) return argv[++i];
      return null;
    };
    const int = (flag, v) => {
      const n = Number(v);
      if (!Number.isInteger(n) || n < 0) die(`${flag} needs a non-negative integer, got '${v}'`);
      return n;
    };
    let v;
    if ((v = value('--input')) !== null) {
      const eq = v.indexOf('=');
      if (eq <= 0) die('--input needs NAME=FILE.npy');
      opts.inputs.push([v.slice(0, eq), v.slice(eq + 1)]);
    } else if ((v = value('--threads')) !== null) {
      opts.threads = int('--threads', v);
    } else if ((v = value('--warmup')) !== null) {
      opts.warmup = int('--warmup', v);
    } else if ((v = value('--benchmark')) !== null) {
      opts.benchmark = int('--benchmark', v);
    } else if ((v = value('--output-dir')) !== null) {
      opts.outputDir = v;
    } else if (arg === '--signature') {
      opts.signature = true;
    } else {
      usage();
      die(`unknown argument '${arg}'`);
    }
  }
  return opts;
}

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  let ort;
  try {
    ort = require('onnxruntime-node');
  } catch (e) {
    die(`cannot load onnxruntime-node (run 'npm install' in ${__dirname}): ${e.message}`);
  }
  if (!fs.existsSync(opts.model)) die(`${opts.model}: no such file`);
  // Resident set before the session exists (Node, the ORT library).
  const baseRss = process.memoryUsage().rss;

  const session = await ort.InferenceSession.create(opts.model, {
    executionProviders: ['cpu'],
    intraOpNumThreads: opts.threads,
    interOpNumThreads: 1,
    executionMode: 'sequential',
    graphOptimizationLevel: 'all',
  });
  if (opts.signature) {
    for (const n of session.inputNames) console.log(`input ${n}`);
    for (const n of session.outputNames) console.log(`output ${n}`);
    return;
  }

  const feeds = {};
  for (const [name, file] of opts.inputs) {
    if (!session.inputNames.includes(name))
      die(`the model has no input '${name}' (inputs: ${session.inputNames.join(', ')})`);
    const t = readNpy(file);
    feeds[name] = new ort.Tensor(t.type, t.data, t.dims);
  }
  for (const name of session.inputNames)
    if (!(name in feeds)) die(`missing --input ${name}=FILE.npy`);

  const results = await session.run(feeds);
  if (opts.outputDir) {
    fs.mkdirSync(opts.outputDir, { recursive: true });
    for (const name of session.outputNames)
      writeNpy(path.join(opts.outputDir, `${name}.npy`), results[name]);
  }

  if (opts.benchmark > 0) {
    for (let i = 0; i < opts.warmup; ++i) await session.run(feeds);
    const times = [];
    for (let i = 0; i < opts.benchmark; ++i) {
      const start = process.hrtime.bigint();
      await session.run(feeds);
      const end = process.hrtime.bigint();
      times.push(Number(end - start) / 1e6);
    }
    times.sort((a, b) => a - b);
    const f = (x) => x.toFixed(4);
    console.log(`runs=${opts.benchmark} min_ms=${f(times[0])} ` +
                `median_ms=${f(times[Math.floor(times.length / 2)])} ` +
                `max_ms=${f(times[times.length - 1])} ` +
                `peak_rss_mib=${(process.resourceUsage().maxRSS / 1024).toFixed(1)} ` +
                `base_rss_mib=${(baseRss / 1048576).toFixed(1)}`);
  }
  await session.release();
}

if (require.main === module)
  main().catch((e) => die(e && e.message ? e.message : String(e)));

module.exports = { readNpy, writeNpy };
