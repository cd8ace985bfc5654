// Links smartocr_pipeline but includes one of its private headers: must not compile.
#include "pipeline/thread_pool.h"

int ProbePrivate() { return 0; }
