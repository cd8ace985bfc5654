// Links only smartocr_core but includes the pipeline's public header: must not compile.
#include "pipeline/pipeline.h"

int ProbeUnlinked() { return 0; }
