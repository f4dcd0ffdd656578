#pragma once
// The library's entry point: run the load described by `options` and
// return what was measured. Blocks for warmup + duration (less when the ids
// run out or nothing can connect).

#include "loadgen/options.hpp"
#include "loadgen/result.hpp"

namespace loadgen {

result run(const options& opts);

// 0: the run completed (HTTP errors included); 1: nothing could connect.
inline int exit_code(const result& r) {
    return r.connected ? 0 : 1;
}

}  // namespace loadgen
