// src/api/tls_context.h
//
// The server side of TLS for `smartocr serve --tls-cert FILE --tls-key FILE`: an OpenSSL
// context that speaks TLS 1.2 and 1.3 only, with forward-secret AEAD suites for 1.2
// (Mozilla's "intermediate" list) and OpenSSL's TLS 1.3 defaults, no compression, no
// renegotiation, and the certificate chain and key from PEM files.
//
//   auto context = LoadTlsContext("chain.pem", "key.pem");
//   if (!context.ok()) ...   // kInvalidArgument "tls": which file, and why
#ifndef SMARTOCR_API_TLS_CONTEXT_H_
#define SMARTOCR_API_TLS_CONTEXT_H_

#include <boost/asio/ssl/context.hpp>
#include <memory>
#include <string>

#include "core/core.h"

namespace smartocr::api {

// A new context, or kInvalidArgument (reason "tls") naming the file that cannot be read
// or used, or a key that does not match the certificate. `cert_file`: PEM, the server
// certificate first, then its intermediates; `key_file`: PEM, its unencrypted key.
core::Result<std::shared_ptr<boost::asio::ssl::context>> LoadTlsContext(
    const std::string& cert_file, const std::string& key_file);

}  // namespace smartocr::api

#endif  // SMARTOCR_API_TLS_CONTEXT_H_
