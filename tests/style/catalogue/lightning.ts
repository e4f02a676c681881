/**
 * The line shapes of a Lightning 2.x job's output as real logs show them (one regex per kind of
 * line), written from Lightning's, tqdm's, transformers', c10's and Slurm's own formats. A tqdm
 * refresh ends without a newline, so a line may be a meter with a log line glued after it, or
 * the spaces that cleared a bar followed by a log line: `gluedLine` accepts those.
 */
import { workerShapes } from "./fault_chain.ts";

const CLOCK = String.raw`(?:\d+:)?\d\d:\d\d`;
const RATE = String.raw`(?: ?\d+\.\d\d|\?)(?:it/s|s/it)`;
const BAR = "[ █▏▎▍▌▋▊▉]{0,10}";
const PCT = String.raw` *\d{1,3}%\|${BAR}\| \d+/\d+`;
// v_num: a TensorBoard/CSV version (a small int) or the last 4 places of a W&B run id (a
// numeric-looking one padded as Lightning pads strings); then the logged `prog_bar` metrics.
const V_NUM = String.raw`v_num=(?:\d{1,3}|[a-z0-9]{4}|\d{4}\.)`;
const POSTFIX = String.raw`(?:, ${V_NUM}(?:, [\w/]+=[-+\w.]+)*)?`;
const DESCS = String.raw`Sanity Checking(?: DataLoader 0)?|Validation(?: DataLoader 0)?|` +
  String.raw`Training|Epoch \d+|Loading checkpoint shards`;

/** A tqdm meter as Lightning's BAR_FORMAT or tqdm's default draws it, padded with spaces. */
export const METER = new RegExp(
  String.raw`^(?:${DESCS}):(?:${PCT} \[${CLOCK}<(?:${CLOCK}|\?), ${RATE}${POSTFIX}\]` +
    String.raw`| \|${BAR}\| 0/\? \[00:00<\?, \?it/s\]) *`,
);

const SITE = String.raw`/\S+/(?:site|dist)-packages`;
const PL = String.raw`${SITE}/(?:lightning/pytorch|pytorch_lightning)`;
const FABRIC = String.raw`${SITE}/(?:lightning/fabric|lightning_fabric)`;
const C10 = String.raw`^\[rank\d+\]:\[E\d{3,4} \d\d:\d\d:\d\d\.\d{9} ProcessGroupNCCL\.cpp:\d+\] `;
const PG = String.raw`\[PG ID 0 PG GUID 0\(default_pg\) Rank \d+\]`;
const WORK = String.raw`\[Rank \d+\] Watchdog caught collective operation timeout: ` +
  String.raw`WorkNCCL\(SeqNum=\d+, OpType=ALLREDUCE, NumelIn=\d+, NumelOut=\d+, ` +
  String.raw`Timeout\(ms\)=\d+\) ran for \d+ milliseconds before timing out\.`;
const CUDA = String
  .raw`CUDA error: (?:unspecified launch failure|uncorrectable ECC error encountered)`;

/** Every kind of line, anchored at both ends. */
export const LIGHTNING_SHAPES: readonly RegExp[] = [
  /^$/,
  /^ +$/,
  /^(?:\[rank: \d+\] )?Seed set to \d+$/,
  new RegExp(
    String.raw`^${FABRIC}/plugins/environments/slurm\.py:204: The \`srun\` command is available ` +
      String.raw`on your system but is not used\. HINT: If your intention is to run Lightning on ` +
      String.raw`SLURM, prepend your python command with \`srun\` like so: .{1,64} \.\.\.$`,
  ),
  /^Using (?:16bit|bfloat16) Automatic Mixed Precision \(AMP\)$/,
  /^GPU available: True \(cuda\), used: True$/,
  /^TPU available: False, using: 0 TPU cores$/,
  /^IPU available: False, using: 0 IPUs$/,
  /^HPU available: False, using: 0 HPUs$/,
  new RegExp(
    String.raw`^You are using a CUDA device \('[^']+'\) that has Tensor Cores\. To properly ` +
      String.raw`utilize them, you should set \`torch\.set_float32_matmul_precision\('medium' \| ` +
      String
        .raw`'high'\)\` which will trade-off precision for performance\. For more details, read ` +
      String
        .raw`https://pytorch\.org/docs/stable/generated/torch\.set_float32_matmul_precision\.html` +
      String.raw`#torch\.set_float32_matmul_precision$`,
  ),
  /^Initializing distributed: GLOBAL_RANK: \d+, MEMBER: \d+\/\d+$/,
  /^-+$/,
  /^distributed_backend=nccl$/,
  /^All distributed processes registered\. Starting with \d+ processes$/,
  /^LOCAL_RANK: \d+ - CUDA_VISIBLE_DEVICES: \[\d+(?:,\d+)*\]$/,
  /^ {2}\| Name {2}\| Type +\| Params *(?:\| Params per Device *)?(?:\| Mode ?)?$/,
  /^0 \| model \| \w+ +\| [\d,.]+ [ KMBT] *(?:\| [\d,.]+ [ KMBT] *)?(?:\| (?:train|eval) ?)?$/,
  /^[\d,.]+ [ KMBT] +(?:Trainable|Non-trainable|Total) params$/,
  /^[\d,]+\.\d{3} *Total estimated model params size \(MB\)$/,
  /^\d+ +Modules in (?:train|eval) mode$/,
  new RegExp(
    String.raw`^${PL}/trainer/connectors/data_connector\.py:\d+: The '(?:train|val)_dataloader' ` +
      String.raw`does not have many workers which may be a bottleneck\. Consider increasing the ` +
      String.raw`value of the \`num_workers\` argument\` to \`num_workers=\d+\` in the ` +
      String.raw`\`DataLoader\` to improve performance\.$`,
  ),
  new RegExp(
    String.raw`^${PL}/trainer/connectors/logger_connector/logger_connector\.py:7[56]: Starting ` +
      String.raw`from v1\.9\.0, \`tensorboardX\` has been removed as a dependency of the ` +
      String
        .raw`\`lightning\.pytorch\` package, due to potential conflicts with other packages in ` +
      String
        .raw`the ML ecosystem\. For this reason, \`logger=True\` will use \`CSVLogger\` as the ` +
      String
        .raw`default logger, unless the \`tensorboard\` or \`tensorboardX\` packages are found\. ` +
      String.raw`Please \`pip install lightning\[extra\]\` or one of them to enable TensorBoard ` +
      String.raw`support by default$`,
  ),
  new RegExp(
    String
      .raw`^${PL}/trainer/connectors/logger_connector/result\.py:\d+: It is recommended to use ` +
      String
        .raw`\`self\.log\('[\w/]+', \.\.\., sync_dist=True\)\` when logging on epoch level in ` +
      String.raw`distributed setting to accumulate the metric across devices\.$`,
  ),
  new RegExp(
    String.raw`^${PL}/loops/training_epoch_loop\.py:\d+: You're resuming from a checkpoint that ` +
      String
        .raw`ended before the epoch ended and your dataloader is not resumable\. This can cause ` +
      String.raw`unreliable results if further training is done\. Consider using an end-of-epoch ` +
      String
        .raw`checkpoint or make your dataloader resumable by implementing the \`state_dict\` / ` +
      String.raw`\`load_state_dict\` interface\.$`,
  ),
  new RegExp(
    String.raw`^${PL}/callbacks/model_checkpoint\.py:\d+: Checkpoint directory \S+ exists and is ` +
      String.raw`not empty\.$`,
  ),
  new RegExp(
    String
      .raw`^${PL}/utilities/model_summary/model_summary\.py:231: Precision (?:bf)?16-mixed is ` +
      String.raw`not supported by the model summary\.  Estimated model size in MB will not be ` +
      String.raw`accurate\. Using 32 bits instead\.$`,
  ),
  new RegExp(
    String.raw`^${PL}/loops/fit_loop\.py:527: Found \d+ module\(s\) in eval mode at the start of ` +
      String.raw`training\. This may lead to unexpected behavior during training\. If this is ` +
      String.raw`intentional, you can ignore this warning\.$`,
  ),
  new RegExp(
    String.raw`^${PL}/trainer/call\.py:54: Detected KeyboardInterrupt, attempting graceful ` +
      String.raw`shutdown\.\.\.$`,
  ),
  /^Detected KeyboardInterrupt, attempting graceful shutdown \.\.\.$/,
  /^Token indices sequence length is longer than the specified maximum sequence length for this model \(\d+ > \d+\)\. Running this sequence through the model will result in indexing errors$/,
  /^Epoch \d+, global step \d+: 'val[_/]loss' reached \d+\.\d{5} \(best \d+\.\d{5}\), saving model to '[^']+\.ckpt' as top \d+$/,
  /^Epoch \d+, global step \d+: 'val[_/]loss' was not in top \d+$/,
  /^`Trainer\.fit` stopped: `max_(?:epochs|steps)=\d+` reached\.$/,
  // wandb.init on rank zero, when the Trainer has a WandbLogger.
  /^wandb: Currently logged in as: \w+ to https:\/\/api\.wandb\.ai\. Use `wandb login --relogin` to force relogin$/,
  /^wandb: Tracking run with wandb version \d+\.\d+\.\d+$/,
  /^wandb: Run data is saved locally in \/\S+\/wandb\/run-\d{8}_\d{6}-[a-z0-9]{8}$/,
  /^wandb: Run `wandb offline` to turn off syncing\.$/,
  /^wandb: Syncing run [a-z]+-[a-z]+-\d+$/,
  /^wandb: ⭐️ View project at https:\/\/wandb\.ai\/\w+\/[\w.-]+$/,
  /^wandb: 🚀 View run at https:\/\/wandb\.ai\/\w+\/[\w.-]+\/runs\/[a-z0-9]{8}$/,
  /^Restoring states from the checkpoint path at \S+\.ckpt$/,
  /^Restored all states from the checkpoint at \S+\.ckpt$/,
  /^\[rank: \d+\] Received SIGTERM: 15$/,
  /^slurmstepd: error: \*\*\* (?:STEP \d+\.0|JOB \d+) ON \S+ CANCELLED AT \d{4}-\d\d-\d\dT\d\d:\d\d:\d\d \*\*\*$/,
  new RegExp(`${C10}${WORK}$`),
  new RegExp(
    `${C10}${PG}  failure detected by watchdog at work sequence id: \\d+ PG status: last ` +
      "enqueued work: \\d+, last completed work: \\d+$",
  ),
  new RegExp(
    `${C10}Stack trace of the failed collective not found, potentially because FlightRecorder ` +
      "is disabled\\. You can enable it by setting TORCH_NCCL_TRACE_BUFFER_SIZE to a non-zero " +
      "value\\.$",
  ),
  new RegExp(`${C10}${PG} First PG on this rank to signal dumping\\.$`),
  new RegExp(
    `${C10}\\[Rank \\d+\\] Some NCCL operations have failed or timed out\\. Due to the ` +
      "asynchronous nature of CUDA kernels, subsequent GPU operations might run on " +
      "corrupted/incomplete data\\.$",
  ),
  new RegExp(
    `${C10}\\[Rank \\d+\\] To avoid data inconsistency, we are taking the entire process down\\.$`,
  ),
  new RegExp(
    `^(?:${C10.slice(1)}|  what\\(\\):  )${PG} Process group watchdog thread terminated with ` +
      `exception: (?:${WORK}|${CUDA})$`,
  ),
  /^terminate called after throwing an instance of 'c10::DistBackendError'$/,
  /^Exception raised from (?:checkTimeout|ncclCommWatchdog|c10_cuda_check_implementation) at \S+:\d+ \(most recent call first\):$/,
  /^frame #\d+: .+ \+ 0x[0-9a-f]+ \(0x[0-9a-f]{12} in \/\S+\)$/,
  /^CUDA kernel errors might be asynchronously reported at some other API call, so the stacktrace below might be incorrect\.$/,
  /^For debugging consider passing CUDA_LAUNCH_BLOCKING=1$/,
  /^Compile with `TORCH_USE_CUDA_DSA` to enable device-side assertions\.$/,
  // torch's C++ lines in every release's layout (fault_chain.ts).
  ...workerShapes("").map((w) => new RegExp(`^${w}$`)),
];

/** Whether a line is one a Lightning job's output holds. */
export function isLightningLine(line: string): boolean {
  if (LIGHTNING_SHAPES.some((re) => re.test(line)) || METER.exec(line)?.[0] === line) return true;
  // A meter, or the spaces that cleared a bar, with the next write glued after it.
  const head = METER.exec(line)?.[0] ?? /^ +/.exec(line)?.[0];
  if (!head || head === line) return false;
  const rest = line.slice(head.length);
  return LIGHTNING_SHAPES.some((re) => re.test(rest)) || METER.exec(rest)?.[0] === rest;
}
