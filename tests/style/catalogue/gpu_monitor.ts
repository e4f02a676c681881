/**
 * The line shapes of the GPU tools a job runs around training (nvidia-smi's table of drivers
 * R470 to R580, `nvidia-smi dmon`, `nvidia-smi --query-gpu … --format=csv`, rocm-smi's concise
 * table, the job script's `set -x` traces of them), one regular expression per kind of line,
 * written from the tools' formats. A line may carry srun's `--label` or pdsh's host prefix.
 */

/** A kind of line and the shape every line of that kind has. */
export type Shape = readonly [string, RegExp];

/** srun's task label or pdsh's host, when the tool runs on every node. */
const P = String.raw`(?: *\d+: |[a-z0-9][a-z0-9.-]*: )?`;
const DAY = "(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)";
const MONTH = "(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)";
const DRIVER = String.raw`\d{3}\.\d+(?:\.\d+)?`;
const ADDRESS = String.raw`[0-9A-F]{8}:[0-9A-F]{2}:[0-9A-F]{2}\.\d`;

const line = (body: string) => new RegExp(`^${P}${body}$`);

/** The values `--query-gpu` prints for the fields fauxtrain's job scripts ask for. */
const QUERY_VALUE = [
  String.raw`\d{4}/\d\d/\d\d \d\d:\d\d:\d\d\.\d{3}`,
  String.raw`\d+`,
  String.raw`(?:NVIDIA|Tesla) [\w -]+`,
  ADDRESS,
  String.raw`\d+ %`,
  String.raw`\d+ MiB`,
  String.raw`\d+\.\d\d W`,
  String.raw`\d+ MHz`,
  "P0",
].join("|");
const QUERY_HEAD = [
  "timestamp",
  "index",
  "name",
  String.raw`pci\.bus_id`,
  String.raw`utilization\.(?:gpu|memory) \[%\]`,
  String.raw`memory\.(?:used|total) \[MiB\]`,
  String.raw`temperature\.gpu`,
  String.raw`power\.draw \[W\]`,
  String.raw`clocks\.current\.sm \[MHz\]`,
  "pstate",
].join("|");

/** Every shape of the GPU tools' output. */
export const GPU_MONITOR_SHAPES: readonly Shape[] = [
  ["trace nvidia-smi", /^\+ (?:nvidia|rocm)-smi$/],
  [
    "trace monitor",
    new RegExp(
      String.raw`^\+ (?:srun --overlap --ntasks-per-node=1 --label |pdsh -R ssh -w \S+ )?` +
        String
          .raw`nvidia-smi (?:dmon(?: -s [pucm]+)? -d \d+(?: -o T)?|--query-gpu=[a-z._,]+ --format=csv -l \d+)$`,
    ),
  ],
  ["trace loop", /^\+ (?::|sleep \d+)$/],
  ["smi date", new RegExp(`^${DAY} ${MONTH} [ \\d]\\d \\d\\d:\\d\\d:\\d\\d \\d{4} {7}$`)],
  ["smi rule", /^[+|][-=]+(?:\+[-=]+)*[+|]$/],
  // Between the tables: a line of spaces up to R545, an empty line after.
  ["smi blank", /^(?: {79}| {89})?$/],
  [
    "smi version",
    new RegExp(
      String
        .raw`^\| NVIDIA-SMI ${DRIVER} +Driver Version: ${DRIVER} +CUDA Version: \d+\.\d +\|$`,
    ),
  ],
  [
    "smi head 1",
    /^\| GPU {2}Name {8,17}Persistence-M ?\| Bus-Id {8,10}Disp\.A \| Volatile Uncorr\. ECC \|$/,
  ],
  [
    "smi head 2",
    /^\| Fan {2}Temp {2}(?: Perf {10}|Perf {2})Pwr:Usage\/Cap ?\| +Memory-Usage \| GPU-Util {2}Compute M\. \|$/,
  ],
  ["smi head 3", /^\| +\| +\| +MIG M\. \|$/],
  ["smi gpu name", new RegExp(String.raw`^\| +\d+  \S.*\S  +On   ?\| +${ADDRESS} Off \| +0 \|$`)],
  [
    "smi gpu reading",
    /^\| N\/A +\d+C +P0 +\d+W \/ +\d+W \| +\d+MiB \/ +\d+MiB \| +\d+% +Default \|$/,
  ],
  ["smi gpu mig", /^\| +\| +\| +(?:Disabled|N\/A) \|$/],
  ["smi processes", /^\| Processes: +\|$/],
  ["smi processes head", /^\| {2}GPU {3}GI {3}CI +PID {3}Type {3}Process name +GPU Memory \|$/],
  ["smi processes head 2", /^\| {8}ID {3}ID +Usage {6}\|$/],
  ["smi process", /^\| +\d+ {3}N\/A {2}N\/A +\d+ {6}C {3}\S+ +(?:\d+MiB|\d{5}\.\.\.) \|$/],
  ["smi no process", /^\| {2}No running processes found +\|$/],
  ["dmon head", line(String.raw`(?:# gpu|#Time {9}gpu)(?: +[a-z0-9]+)+ ?`)],
  ["dmon units", line(String.raw`(?:# Idx|#HH:MM:SS {5}Idx)(?: +(?:W|C|%|MHz|MB))+ ?`)],
  ["dmon row", line(String.raw`(?: \d\d:\d\d:\d\d)? +\d+(?: +(?:\d+|-))+ ?`)],
  ["query head", line(`(?:${QUERY_HEAD})(?:, (?:${QUERY_HEAD}))+`)],
  ["query row", line(`(?:${QUERY_VALUE})(?:, (?:${QUERY_VALUE}))+`)],
  [
    "rocm banner",
    /^=+(?: (?:ROCm System Management Interface|Concise Info|End of ROCm SMI Log) =+)?$/,
  ],
  [
    "rocm head",
    /^Device {2}Node {2}IDs {14}Temp {8}Power {5}Partitions {10}SCLK +MCLK +Fan {2}Perf {2}PwrCap {2}VRAM% {2}GPU%$/,
  ],
  ["rocm subhead", /^ {14}\(DID, {5}GUID\) {2}\(Junction\) {2}\(Socket\) {2}\(Mem, Compute, ID\)$/],
  [
    "rocm row",
    /^\d+ +\d+ +0x[0-9a-f]{4}, +\d+ +\d+\.0°C +\d+\.0W +NPS1, SPX, \d +\d+Mhz +\d+Mhz +0% +auto +\d+\.\dW +\d+% +\d+%$/,
  ],
];
