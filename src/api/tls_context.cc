#include "api/tls_context.h"

#include <openssl/err.h>
#include <openssl/ssl.h>

namespace smartocr::api {
namespace {

namespace ssl = boost::asio::ssl;

// TLS 1.2 suites: ECDHE key exchange (forward secrecy) and AEAD ciphers only, as in
// Mozilla's "intermediate" server configuration. TLS 1.3 suites are OpenSSL's defaults
// (all AEAD).
constexpr const char* kTls12Ciphers =
    "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:"
    "ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES256-GCM-SHA384:"
    "ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305";

// OpenSSL's queued errors as one line (and the queue emptied): why a file was refused.
std::string OpensslErrors() {
  std::string out;
  while (unsigned long e = ERR_get_error()) {  // NOLINT(google-runtime-int): OpenSSL's type
    char buf[256];
    ERR_error_string_n(e, buf, sizeof(buf));
    out += (out.empty() ? "" : "; ") + std::string(buf);
  }
  return out;
}

core::Status Refused(const std::string& what, const std::string& why) {
  return core::InvalidArgument("tls", what + ": " + why);
}

}  // namespace

core::Result<std::shared_ptr<ssl::context>> LoadTlsContext(const std::string& cert_file,
                                                           const std::string& key_file) {
  ERR_clear_error();
  auto context = std::make_shared<ssl::context>(ssl::context::tls_server);
  SSL_CTX* native = context->native_handle();
  context->set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 |
                       ssl::context::no_sslv3 | ssl::context::no_tlsv1 | ssl::context::no_tlsv1_1 |
                       ssl::context::no_compression | ssl::context::single_dh_use);
  SSL_CTX_set_options(native, SSL_OP_NO_RENEGOTIATION);
  if (SSL_CTX_set_min_proto_version(native, TLS1_2_VERSION) != 1 ||
      SSL_CTX_set_cipher_list(native, kTls12Ciphers) != 1) {
    return core::Internal("tls", "OpenSSL refused the TLS settings: " + OpensslErrors());
  }
  // An encrypted key is refused, never asked for on the terminal (OpenSSL's default).
  context->set_password_callback(
      [](size_t, ssl::context::password_purpose) { return std::string(); });
  boost::system::error_code ec;
  // The key first: a certificate that does not match it then drops it (OpenSSL), and the
  // check below names the mismatch rather than a key that "cannot be read".
  context->use_private_key_file(key_file, ssl::context::pem, ec);
  if (ec) {
    return Refused("--tls-key " + key_file,
                   "not a readable unencrypted PEM private key (" + ec.message() + ")");
  }
  context->use_certificate_chain_file(cert_file, ec);
  if (ec) {
    return Refused("--tls-cert " + cert_file,
                   "not a readable PEM certificate chain (" + ec.message() + ")");
  }
  if (SSL_CTX_check_private_key(native) != 1) {
    return Refused("--tls-key " + key_file,
                   "does not match the certificate in " + cert_file + " (" + OpensslErrors() + ")");
  }
  ERR_clear_error();
  return context;
}

}  // namespace smartocr::api
