// libuv's thread pool runs the file-system calls other than whole-file writes (those go to the
// file writer's threads, src/storage/file-writer.ts): segment reads for viewers, deletions of
// old segments, folder listings. With its default of 4 threads, many viewers' reads queue
// behind each other and behind the deletions. It must be sized before its first use, so main.ts
// imports this module first; a size set in the environment is kept.
const DEFAULT_THREAD_POOL_SIZE = 16;

if (process.env.UV_THREADPOOL_SIZE === undefined) process.env.UV_THREADPOOL_SIZE = String(DEFAULT_THREAD_POOL_SIZE);
