// SPDX-License-Identifier: Apache-2.0
#pragma once

// The status page: one self-contained HTML document (inline CSS, JS and SVG, no external
// asset), built from src/http/page/ into the program by cmake/embed_page.cmake, and the
// Content-Security-Policy that allows exactly its inline style and script.

#include <string_view>

namespace packbridge::http {

std::string_view page_html();
std::string_view page_csp();

}  // namespace packbridge::http
