/**
 * The shapes of the lines a Megatron-LM job under torchrun (with `--tee 3` or without) prints, one per kind of
 * line, written from Megatron-Core 0.9 and 0.12's own format strings. Worker lines are matched
 * after their `[defaultN]:` prefix; the launcher's lines have none.
 */

import { faultChainShapes, workerShapes } from "./fault_chain.ts";

const E = String.raw`\d\.\d{6}E[+-]\d\d`;
const DATE = String.raw`\d{4}-\d\d-\d\d \d\d:\d\d:\d\d`;
const LOG = String.raw`INFO:megatron\.core\.datasets\.`;

/** Lines torchrun, the job script and Slurm print on each node (and the fault chain's). */
export const LAUNCHER_SHAPES: readonly RegExp[] = [
  // The job script's launch, traced by `set -x`.
  /^\+ srun --nodes=\d+ --ntasks-per-node=1 torchrun --nnodes \d+ --nproc_per_node \d+ --rdzv_id \d+ --rdzv_backend c10d --rdzv_endpoint [\d.]+:\d+( --tee 3)? \S+\/pretrain_gpt\.py( --[a-z0-9-]+( (\S+|'\(\[0\]\*\d+\+\[1\]\*\d+\)'))?)+$/,
  // torchrun's agents (the OMP banner opens with an empty line), its summary, srun, slurmstepd.
  ...faultChainShapes(String.raw`\[default\d+\]:`, String.raw`pretrain_gpt\.py`),
];

const ITERATION = new RegExp(
  String.raw`^ \[${DATE}\] iteration +\d+/ +\d+ \| consumed samples: +\d+ \| ` +
    String
      .raw`elapsed time per iteration \(ms\): \d+\.\d \| throughput per GPU \(TFLOP/s/GPU\): \d+\.\d \| ` +
    String.raw`learning rate: ${E} \| global batch size: +\d+ \|( lm loss: ${E} \|)?` +
    String
      .raw`( load_balancing_loss: ${E} \|)? loss scale: \d+\.\d \|( grad norm: \d+\.\d{3} \|)?` +
    String
      .raw`( num zeros: \d+\.\d \|)?( params norm: \d+\.\d{3} \|)? number of skipped iterations: +\d+ \| ` +
    String.raw`number of nan iterations: +\d+ \|$`,
);

/** Lines the workers print, after their prefix. */
export const WORKER_SHAPES: readonly RegExp[] = [
  // NCCL_DEBUG=INFO (before NCCL 2.22 rank 0 prints its version as a bare line).
  /^\S+:\d+:\d+ \[\d+\] NCCL INFO .+$/,
  /^[NR]CCL version \d+\.\d+\.\d+\+(cuda|hip)\d+\.\d+$/,
  // validate_args and the argument dump (values from column 52).
  /^using world size: \d+, data-parallel size: \d+, context-parallel size: 1, (hierarchical context-parallel sizes: None)?tensor-model-parallel size: \d+, encoder-tensor-model-parallel size: 0, pipeline-model-parallel size: \d+, encoder-pipeline-model-parallel size: 0$/,
  /^WARNING: Setting args\.overlap_p2p_comm and args\.align_param_gather to False since non-interleaved schedule does not support overlapping p2p communication and aligned param AG$/,
  /^WARNING: Setting args\.check_for_nan_in_loss_and_grad to False since dynamic loss scaling is being used$/,
  /^accumulate and all-reduce gradients in fp32 for bfloat16 data type\.$/,
  /^using torch\.(bfloat16|float16) for parameters \.\.\.$/,
  /^-{24} arguments -{24}$/,
  /^-{20} end of arguments -{21}$/,
  /^ {2}[A-Za-z_0-9]+ (\.+ )?(?<=^.{52}).*$/,
  /^ {2}[A-Za-z_0-9]{48,} {2}.*$/,
  /^INFO:megatron\.core\.num_microbatches_calculator:setting number of microbatches to constant \d+$/,
  /^> building (HuggingFaceTokenizer|GPT2BPETokenizer) tokenizer \.\.\.$/,
  /^ > padded vocab \(size: \d+\) with \d+ dummy tokens \(new size: \d+\)$/,
  /^> setting tensorboard \.\.\.$/,
  /^WARNING: one_logger package is required to enable e2e metrics tracking\. please go to https:\/\/confluence\.nvidia\.com\/display\/MLWFO\/Package\+Repositories for details to install it$/,
  // initialize_megatron.
  /^> initializing torch distributed \.\.\.$/,
  /^> initialized (tensor|pipeline) model parallel with size \d+$/,
  /^> setting random seeds to \d+ \.\.\.$/,
  /^> compiling dataset index builder \.\.\.$/,
  /^make: (Entering|Leaving) directory '\S+\/megatron\/core\/datasets'$/,
  /^make: Nothing to be done for 'default'\.$/,
  /^>>> done with (dataset index builder|compiling and loading fused kernels)\. Compilation time: \d+\.\d{3} seconds$/,
  /^WARNING: constraints for invoking optimized fused softmax kernel are not met\. We default back to unfused kernel invocations\.$/,
  /^> compiling and loading fused kernels \.\.\.$/,
  /^time to initialize megatron \(seconds\): \d+\.\d{3}$/,
  new RegExp(
    String
      .raw`^\[(after megatron is initialized|after model, optimizer, and learning rate scheduler are built|after dataloaders are built|before the start of training step|after training is done|exiting program after receiving SIGTERM\.)\] datetime: ${DATE} $`,
  ),
  // The model, its gradient buffers, the optimizer and the checkpoint.
  /^building GPT model \.\.\.$/,
  /^ > number of parameters on \(tensor, pipeline\) model parallel rank \(\d+, \d+\): \d+$/,
  /^INFO:megatron\.core\.distributed\.distributed_data_parallel:Setting up DistributedDataParallel with config DistributedDataParallelConfig\(\w+=[^,]+(, \w+=[^,]+)*\)$/,
  /^INFO:megatron\.core\.distributed\.param_and_grad_buffer:Number of buckets for gradient all-reduce \/ reduce-scatter: \d+$/,
  /^Params for bucket \d+ \(\d+ elements(, \d+ padded size)?\):$/,
  /^\tmodule\.(embedding|decoder|output_layer)[\w.]*$/,
  /^INFO:megatron\.core\.optimizer:Setting up optimizer with config OptimizerConfig\(optimizer='adam', .+, timers=<megatron\.core\.timers\.Timers object at 0x[0-9a-f]{12}>, config_logger_dir=''\)$/,
  /^INFO:megatron\.core\.optimizer_param_scheduler:> learning rate decay style: (cosine|WSD)$/,
  /^WARNING: could not find the metadata file \S+\/latest_checkpointed_iteration\.txt$/,
  /^ {4}will not load any checkpoints and will start from random$/,
  /^ loading (release distributed checkpoint from \S+|distributed checkpoint from \S+ at iteration \d+)$/,
  /^ checkpoint version 3\.0$/,
  /^ {2}successfully loaded checkpoint from \S+ \[ t (0, p 0|1\/\d+, p 1\/\d+) \] at iteration \d+$/,
  // Timers.
  /^\(min, max\) time across ranks \(ms\):$/,
  /^ {4}[a-z/-]+ \.+(?<=^.{52}): \(\d+\.\d\d, \d+\.\d\d\)$/,
  // The dataset builder.
  /^> building train, validation, and test datasets( for GPT)? \.\.\.$/,
  /^ > datasets target sizes \(minimum size\):$/,
  /^ {4}(train: {6}|validation: |test: {7})\d+$/,
  /^INFO:megatron\.core\.datasets\.blended_megatron_dataset_config:Let split_matrix = \[\(0, [\d.]+\), \([\d.]+, [\d.]+\), (\([\d.]+, [\d.]+\)|None)\]$/,
  /^INFO:megatron\.core\.datasets\.blended_megatron_dataset_builder:Building dataset splits with cls=GPTDataset, sizes=\(\d+, \d+, \d+\), and config=GPTDatasetConfig\(.+, s3_cache_path=None\)$/,
  new RegExp(
    String
      .raw`^${LOG}indexed_dataset:(Load the _IndexReader from \S+\.idx|\tExtract the sequence (lengths|pointers)|\tExtract the document indices|> total number of (sequences|documents): \d+)$`,
  ),
  new RegExp(
    String
      .raw`^${LOG}gpt_dataset:((Load|Build and save) the GPTDataset (train|valid|test) indices|\tLoad the (document|sample|shuffle) index from [0-9a-f]{32}-GPTDataset-(train|valid|test)-(document|sample|shuffle)_index\.npy|> total number of (samples|epochs): \d+)$`,
  ),
  /^> finished creating GPT datasets \.\.\.$/,
  /^done with setup \.\.\.$/,
  /^training \.\.\.$/,
  /^Setting rerun_state_machine\.current_iteration to \d+\.\.\.$/,
  // First-step Python warnings.
  /^\S+\/megatron\/core\/tensor_parallel\/layers\.py:609: UserWarning: async_grad_allreduce is deprecated, not in use anymore and will be fully removed with 0\.10\.0\. Please use allreduce_dgrad instead\.$/,
  /^\S+\/megatron\/core\/distributed\/param_and_grad_buffer\.py:259: FutureWarning: `torch\.distributed\._reduce_scatter_base` is a private function and will be deprecated\. Please use `torch\.distributed\.reduce_scatter_tensor` instead\.$/,
  /^\S+\/torch\/distributed\/c10d_logger\.py:79: FutureWarning: `torch\.distributed\._all_gather_base` is a private function and will be deprecated\. Please use `torch\.distributed\.all_gather_into_tensor` instead\.$/,
  /^ {2}(warnings\.warn\(|torch\.distributed\._reduce_scatter_base\(|return func\(\*args, \*\*kwargs\))$/,
  // Training.
  ITERATION,
  /^Number of parameters in (transformer (layers|block)|embedding layers) in billions: {1,2}\d+\.\d\d$/,
  /^Total number of parameters in billions: \d+\.\d\d$/,
  /^Number of parameters in (most loaded shard|other shards) in billions: \d+\.\d{4}$/,
  /^Activation memory footprint per transformer layer: \d+\.\d MB$/,
  /^Number of in-flight microbatches: \d+$/,
  /^Theoretical memory footprints: weight and optimizer=\d+\.\d\d MB(, activation=\d+\.\d\d MB, total=\d+\.\d\d MB)?$/,
  /^$/,
  /^\[Rank \d+\] \(after \d+ iterations\) memory \(MB\) \| allocated: \d+\.\d+ \| max allocated: \d+\.\d+ \| reserved: \d+\.0 \| max reserved: \d+\.0$/,
  // Evaluation and checkpoints.
  /^WARNING:megatron\.core\.rerun_state_machine:Setting RerunStateMachine mode RerunMode\.DISABLED$/,
  /^-+$/,
  new RegExp(
    String
      .raw`^ validation loss at iteration \d+( on (validation|test) set)? \| lm loss value: ${E} \| lm loss PPL: ${E} \| $`,
  ),
  /^Evaluating on \d+ samples$/,
  /^Evaluating iter \d+\/\d+$/,
  /^saving checkpoint at iteration +\d+ to \S+ in torch_dist format$/,
  /^Storing distributed optimizer sharded state of type fully_sharded_model_space$/,
  /^ {2}successfully saved checkpoint from iteration +\d+ to \S+( \[ t 1\/\d+, p 1\/\d+ \])?$/,
  // A worker's traceback, c10's glog lines and frame dumps (after the `[defaultN]:` prefix).
  ...workerShapes("").map((w) => new RegExp(`^${w}$`)),
  // PyTorch as the processes exit.
  /^\[rank\d+\]:\[W\d{4} \d\d:\d\d:\d\d\.\d{9} ProcessGroupNCCL\.cpp:\d+\] Warning: WARNING: (process group has NOT been destroyed before we destruct ProcessGroupNCCL\.|destroy_process_group\(\) was not called before program exit,) .+ \(function operator\(\)\)$/,
];
