// The built-in language identifier on short texts in each installed language, on OCR
// slips, and its refusals (too few words, a broken model).
#include "langid/langid.h"

#include <gtest/gtest.h>

#include <cctype>
#include <string>

namespace smartocr::langid {
namespace {

struct Sample {
  const char* code;
  const char* text;
};

// Three sentences of an invoice's small print in each language.
constexpr Sample kSamples[] = {
    {"eng",
     "Invoice number seven from London. Amount due after the delivery. Please pay the amount "
     "within thirty days of the invoice date to our account."},
    {"deu",
     "Rechnung für die Lieferung nach München. Währung Euro und Größe groß. Bitte überweisen "
     "Sie den Betrag innerhalb von vierzehn Tagen auf unser Konto."},
    {"fra",
     "Facture numéro douze reçue à Paris. Montant dû après échéance. Veuillez régler cette "
     "somme dans les trente jours suivant la date de la facture."},
    {"spa",
     "Factura número siete de España. Dirección del señor Núñez. Le rogamos que abone el "
     "importe dentro de los treinta días siguientes a la fecha."},
    {"ita",
     "Fattura numero nove della città. Totale dovuto è più alto. Si prega di pagare la somma "
     "entro trenta giorni dalla data della fattura."},
    {"nld",
     "Factuur voor de levering in Rotterdam. Bedrag inclusief btw voor één. Gelieve het bedrag "
     "binnen dertig dagen over te maken op onze rekening."},
    {"por",
     "Fatura número cinco de São Paulo. Endereço da avenida Conceição. Não aceitamos "
     "devoluções após trinta dias; obrigado pela sua preferência e até breve."},
};

TEST(Langid, BuiltInModelHasTheInstalledLanguages) {
  const Identifier& id = Identifier::BuiltIn();
  EXPECT_EQ(id.languages(),
            (std::vector<std::string>{"deu", "eng", "fra", "ita", "nld", "por", "spa"}));
  EXPECT_FALSE(id.version().empty());
}

TEST(Langid, IdentifiesEachLanguage) {
  for (const Sample& s : kSamples) {
    SCOPED_TRACE(s.code);
    const Guess guess = Identifier::BuiltIn().Identify(s.text);
    EXPECT_EQ(guess.code, s.code);
    EXPECT_GE(guess.confidence, 0.75);
    EXPECT_GE(guess.words, 15u);
  }
}

// A German page read with the English model keeps enough of its German to be German.
TEST(Langid, OcrSlipsDoNotHideTheLanguage) {
  const Guess guess = Identifier::BuiltIn().Identify(
      "RECHNUNG fiir die Lieferung nach Miinchen. Wahrung Euro und GroBe groB. Bitte "
      "iiberweisen Sie den Betrag innerhalb von vierzehn Tagen auf unser Konto.");
  EXPECT_EQ(guess.code, "deu");
  EXPECT_GE(guess.confidence, 0.75);
}

TEST(Langid, SameTextSameGuessWhateverTheCase) {
  const Guess lower = Identifier::BuiltIn().Identify(kSamples[1].text);
  std::string upper = kSamples[1].text;
  for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  const Guess again = Identifier::BuiltIn().Identify(upper);
  EXPECT_EQ(again.code, lower.code);
  EXPECT_EQ(Identifier::BuiltIn().Identify(kSamples[1].text).confidence, lower.confidence);
}

TEST(Langid, TooFewWordsIsNoGuess) {
  for (const char* text : {"", "12.50 EUR", "Total: 4 x 3,50", "a b c d e f g h", "Rechnung Nr"}) {
    SCOPED_TRACE(text);
    const Guess guess = Identifier::BuiltIn().Identify(text);
    EXPECT_EQ(guess.code, "");
    EXPECT_EQ(guess.confidence, 0);
  }
  // Invalid UTF-8 is letters or not, never a crash.
  EXPECT_NO_FATAL_FAILURE(Identifier::BuiltIn().Identify("\xff\xfe\xc3 caf\xc3 \x80\x80"));
}

TEST(Langid, MalformedModelsAreRefused) {
  for (const char* json : {"", "[]", "{}", R"({"languages": {}})", R"({"languages": {"eng": 3}})",
                           R"({"languages": {"eng": {"floor": -9}}})",
                           R"({"languages": {"eng": {"floor": -9, "trigrams": {"_th": "x"}}}})"}) {
    SCOPED_TRACE(json);
    auto id = Identifier::FromJson(json);
    ASSERT_FALSE(id.ok());
    EXPECT_EQ(id.status().reason(), "langid_model");
  }
  auto tiny = Identifier::FromJson(
      R"({"version": "t", "languages": {"aaa": {"floor": -9, "trigrams": {"_ab": -1}},
                                         "bbb": {"floor": -9, "trigrams": {"_cd": -1}}}})");
  ASSERT_TRUE(tiny.ok()) << tiny.status().ToString();
  EXPECT_EQ((*tiny)->Identify("abba abel abed abbey abort").code, "aaa");
  EXPECT_EQ((*tiny)->Identify("cdab cdef cdon cdum cdix").code, "bbb");
}

}  // namespace
}  // namespace smartocr::langid
