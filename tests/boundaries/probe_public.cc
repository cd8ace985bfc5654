// Links smartocr_pipeline and includes its public header: compiles.
#include "pipeline/pipeline.h"

int ProbePublic() { return sizeof(smartocr::pipeline::PipelineOptions) > 0 ? 1 : 0; }
