// libuv's thread pool runs every file-system call. With its default of 4 threads, the writes of
// many streams queue behind each other and a segment waits for others' writes before it is
// listed. It must be sized before its first use, so main.ts imports this module first; a size
// set in the environment is kept.
const DEFAULT_THREAD_POOL_SIZE = 16;

if (process.env.UV_THREADPOOL_SIZE === undefined) process.env.UV_THREADPOOL_SIZE = String(DEFAULT_THREAD_POOL_SIZE);
