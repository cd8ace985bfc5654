// Fuzz target: e-invoice XML as a PDF carries it (extract::ReadEInvoiceFields, libxml2
// without DTDs or entities). Input: the XML (seeds: fuzz/corpus/einvoice_fuzz/). Checks
// that what is read is well-formed output: every field has a name, a value, source
// "e-invoice", and the check against a page of the same fields agrees with itself.
#include "extract/einvoice.h"
#include "fuzz_input.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  namespace extract = smartocr::extract;
  auto fields = extract::ReadEInvoiceFields(smartocr::fuzz::AsText(data, size));
  if (!fields.ok()) return 0;
  for (const smartocr::core::Field& f : *fields) {
    FUZZ_CHECK(!f.name.empty());
    FUZZ_CHECK(!f.value.empty());
    FUZZ_CHECK(f.source == "e-invoice");
  }
  std::vector<smartocr::core::Field> checked = *fields;
  extract::CrossCheckEInvoice(checked, *fields);
  for (const smartocr::core::Field& f : checked) FUZZ_CHECK(f.validator_status == "valid");
  return 0;
}
