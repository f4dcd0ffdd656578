#pragma once
// The process_* metrics every Prometheus client exports, read from /proc at
// scrape time (Linux).

#include "customers/obs/exposition.hpp"

namespace customers::obs {

// process_cpu_seconds_total, process_resident_memory_bytes,
// process_virtual_memory_bytes, process_open_fds, process_max_fds,
// process_start_time_seconds. A value that cannot be read is left out.
void append_process_metrics(exposition& out);

}  // namespace customers::obs
