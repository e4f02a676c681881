/**
 * Line shapes of a torchrun job's crash (PyTorch 2.3 to 2.8): a worker's traceback with its
 * `[rankN]: ` prefix, the NCCL watchdog and its C++ frames, torchrun's own records and its
 * ChildFailedError report, srun's exit line. Written from real logs' formats.
 */
export const TORCH_CRASH: Record<string, RegExp> = {
  "worker traceback": new RegExp(
    String
      .raw`^\[rank\d+\]: (Traceback \(most recent call last\):|  File "/\S+", line \d+, in \S+|` +
      String
        .raw`    \S.*|RuntimeError: CUDA error: [A-Za-z ]+|CUDA kernel errors might be asynchronously ` +
      String.raw`reported at some other API call, so the stacktrace below might be incorrect\.|` +
      String.raw`For debugging consider passing CUDA_LAUNCH_BLOCKING=1|Compile with ` +
      "`TORCH_USE_CUDA_DSA` to enable device-side assertions\\.|)$",
  ),
  "watchdog record":
    /^\[rank\d+\]:\[E(\d{4} \d\d:\d\d:\d\d\.\d{9})? ProcessGroupNCCL\.cpp:\d+\] \S.*$/,
  "c++ exception origin":
    /^Exception raised from \w+ at \/pytorch\/torch\/csrc\/distributed\/c10d\/ProcessGroupNCCL\.cpp:\d+ \(most recent call first\):$/,
  "c++ frame": /^frame #\d+: \S.* \+ 0x[0-9a-f]+ \(0x7f[0-9a-f]{10} in \/\S+\)$/,
  "terminate": /^terminate called after throwing an instance of 'c10::DistBackendError'$/,
  "what()":
    /^ {2}what\(\): {2}\[PG .+ Process group watchdog thread terminated with exception: .+$/,
  "torchrun record (glog)":
    /^[WE]\d{4} \d\d:\d\d:\d\d\.\d{6} \d+ (site-packages\/)?torch\/distributed\/elastic\/(multiprocessing|agent\/server)\/api\.py:\d+\] (Sending process \d+ closing signal SIG(TERM|INT)|failed \(exitcode: -?\d+\) local_rank: \d+ \(pid: \d+\) of binary: \/\S+|Received Signals\.SIG(INT|TERM) death signal, shutting down workers)$/,
  "torchrun record (logging)":
    /^\[\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3}\] torch\.distributed\.elastic\.(multiprocessing|agent\.server)\.api: \[(WARNING|ERROR)\] (Sending process \d+ closing signal SIG(TERM|INT)|failed \(exitcode: -?\d+\) local_rank: \d+ \(pid: \d+\) of binary: \/\S+|Received Signals\.SIG(INT|TERM) death signal, shutting down workers)$/,
  "traceback head": /^Traceback \(most recent call last\):$/,
  "python error":
    /^(RuntimeError: CUDA error: [A-Za-z ]+|CUDA kernel errors might be asynchronously reported at some other API call, so the stacktrace below might be incorrect\.|For debugging consider passing CUDA_LAUNCH_BLOCKING=1|Compile with `TORCH_USE_CUDA_DSA` to enable device-side assertions\.|KeyboardInterrupt)$/,
  "traceback frame": /^ {2}File "\/\S+", line \d+, in \S+$/,
  "traceback code": /^ {4}\S.*$/,
  "traceback carets": /^ +\^+$/,
  "ChildFailedError": /^torch\.distributed\.elastic\.multiprocessing\.errors\.ChildFailedError: $/,
  "report rule": /^(={60}|-{60})$/,
  "report title": /^\S+\.py FAILED$/,
  "report section":
    /^(Failures:| {2}<NO_OTHER_FAILURES>|Root Cause \(first observed failure\):|\[0\]:)$/,
  "report field":
    /^ {2}(time {6}: \d{4}-\d\d-\d\d_\d\d:\d\d:\d\d|host {6}: \S+|rank {6}: \d+ \(local_rank: \d+\)|exitcode {2}: -?\d+ \(pid: \d+\)|error_file: <N\/A>|traceback : (To enable traceback see: https:\/\/pytorch\.org\/docs\/stable\/elastic\/errors\.html|Signal 6 \(SIGABRT\) received by PID \d+))$/,
  "srun exit": /^srun: error: \S+: task \d+: Exited with exit code \d+$/,
  "blank": /^$/,
};

/** torchrun's OMP_NUM_THREADS banner (run.py), one copy per node. */
export const TORCHRUN_BANNER: Record<string, RegExp> = {
  "omp banner":
    /^W\d{4} \d\d:\d\d:\d\d\.\d{6} \d+ torch\/distributed\/run\.py:\d+\] (\*{41}|Setting OMP_NUM_THREADS environment variable for each process to be 1 in default, to avoid your system being overloaded, please further tune the variable for optimal performance in your application as needed\.)$/,
};
