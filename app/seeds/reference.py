"""Dados de referência para a carga inicial do Expediente.

Estruturas Python puras (sem Flask/SQLAlchemy), consumidas pelos comandos de
seed para popular uma instalação nova com a configuração típica de uma
prefeitura ou câmara municipal:

* ``LEGAL_BASES`` – Hipóteses Legais de restrição de acesso (lista de
  referência do SEI), cada uma com o nível de acesso que ela justifica;
* ``PROCESS_TYPES`` – Tipos de Processo com código de classificação, nível de
  acesso sugerido/permitido e hipótese legal sugerida;
* ``DOCUMENT_TYPES`` – Tipos de Documento (internos e externos), com regra de
  numeração, formato do título, nível sugerido e modelo HTML;
* ``SIGNATURE_ROLES`` – Cargos/Funções padrão oferecidos na assinatura;
* ``STANDARD_TEXTS`` – Textos Padrão (nome, HTML) para o editor;
* ``SIGNATURE_LEGAL_TEXT_DEFAULT`` – fundamento legal impresso sob as
  assinaturas eletrônicas.

Os modelos HTML usam apenas tags simples (p, br, strong, em, u, ul, ol, li,
table/tr/td/th, h1–h4, blockquote), sem atributos, e somente os marcadores
listados em ``PLACEHOLDERS`` (substituídos com ``str.format``; por isso não há
outras chaves nos textos). Trechos entre colchetes, como ``[objeto]``, são
lembretes para o usuário preencher.
"""

ACCESS_LEVELS = ("publico", "restrito", "sigiloso")

# unit_year: sequencial por unidade, reiniciado a cada ano (padrão)
# org_year:  sequencial por órgão, reiniciado a cada ano
# unit / org: sequencial contínuo por unidade / por órgão
# none: sem número; manual: número informado pelo usuário (ex.: documento externo)
NUMBERING_CHOICES = ("unit_year", "org_year", "unit", "org", "none", "manual")

PLACEHOLDERS = (
    "processo", "documento", "tipo", "numero", "ano", "data_extenso",
    "unidade", "siglas", "orgao", "cidade", "uf", "interessados", "usuario",
    "destinatario",
)

# ---------------------------------------------------------------------------
# 1. Hipóteses Legais
# ---------------------------------------------------------------------------
# Como no SEI, a maioria justifica acesso "restrito" (visível às unidades por
# onde o processo tramita). Só são "sigiloso" (credencial individual) as
# hipóteses ligadas a investigação criminal: interceptação telefônica, segredo
# de justiça no processo penal e inquérito policial.
LEGAL_BASES = (
    {"name": "Controle Interno",
     "basis": "Art. 26, § 3º, da Lei nº 10.180/2001", "level": "restrito"},
    {"name": "Direito Autoral",
     "basis": "Art. 24, III, da Lei nº 9.610/1998", "level": "restrito"},
    {"name": "Documento Preparatório",
     "basis": "Art. 7º, § 3º, da Lei nº 12.527/2011", "level": "restrito"},
    {"name": "Informação Pessoal",
     "basis": "Art. 31 da Lei nº 12.527/2011", "level": "restrito"},
    {"name": "Informações Privilegiadas de Sociedades Anônimas",
     "basis": "Art. 155, § 2º, da Lei nº 6.404/1976", "level": "restrito"},
    {"name": "Interceptação de Comunicações Telefônicas",
     "basis": "Art. 8º da Lei nº 9.296/1996", "level": "sigiloso"},
    {"name": "Investigação de Responsabilidade de Servidor",
     "basis": "Art. 150 da Lei nº 8.112/1990 (ou dispositivo equivalente do "
              "Estatuto dos Servidores Públicos Municipais)",
     "level": "restrito"},
    {"name": "Livros e Registros Contábeis Empresariais",
     "basis": "Art. 1.190 do Código Civil (Lei nº 10.406/2002)",
     "level": "restrito"},
    {"name": "Operações Bancárias",
     "basis": "Art. 1º da Lei Complementar nº 105/2001", "level": "restrito"},
    {"name": "Proteção da Propriedade Intelectual de Software",
     "basis": "Art. 2º da Lei nº 9.609/1998", "level": "restrito"},
    {"name": "Protocolo Pendente de Análise de Restrição",
     "basis": "Art. 6º, III, da Lei nº 12.527/2011", "level": "restrito"},
    {"name": "Segredo de Justiça no Processo Civil",
     "basis": "Art. 189 do Código de Processo Civil (Lei nº 13.105/2015)",
     "level": "restrito"},
    {"name": "Segredo de Justiça no Processo Penal",
     "basis": "Art. 201, § 6º, do Código de Processo Penal "
              "(Decreto-Lei nº 3.689/1941)",
     "level": "sigiloso"},
    {"name": "Segredo Industrial",
     "basis": "Art. 195, XIV, da Lei nº 9.279/1996", "level": "restrito"},
    {"name": "Sigilo das Comunicações",
     "basis": "Art. 3º, V, da Lei nº 9.472/1997", "level": "restrito"},
    {"name": "Sigilo de Empresa em Situação Falimentar",
     "basis": "Art. 169 da Lei nº 11.101/2005", "level": "restrito"},
    {"name": "Sigilo do Inquérito Policial",
     "basis": "Art. 20 do Código de Processo Penal (Decreto-Lei nº 3.689/1941)",
     "level": "sigiloso"},
    {"name": "Situação Econômico-Financeira de Sujeito Passivo",
     "basis": "Art. 198, caput, do Código Tributário Nacional "
              "(Lei nº 5.172/1966)",
     "level": "restrito"},
    {"name": "Tratados, Acordos e Atos Internacionais",
     "basis": "Art. 36 da Lei nº 12.527/2011", "level": "restrito"},
    # O Decreto nº 8.420/2015 foi revogado pelo Decreto nº 11.129/2022; a
    # redação é mantida por corresponder à lista de referência do SEI.
    {"name": "Responsabilidade Administrativa de Pessoa Jurídica",
     "basis": "Art. 4º, § 1º, do Decreto nº 8.420/2015", "level": "restrito"},
    {"name": "Investigação Preliminar sobre Mercado Mobiliário",
     "basis": "Art. 9º, § 2º, da Lei nº 6.385/1976", "level": "restrito"},
    {"name": "Investigação/Prevenção de Acidentes Aeronáuticos",
     "basis": "Art. 88-I, § 3º, da Lei nº 7.565/1986", "level": "restrito"},
    {"name": "Atividade Empresarial",
     "basis": "Art. 5º, § 2º, do Decreto nº 7.724/2012", "level": "restrito"},
)

# ---------------------------------------------------------------------------
# 2. Tipos de Processo
# ---------------------------------------------------------------------------
# Códigos no formato classe.subclasse.item de um plano de classificação
# municipal simplificado:
# 01 Administração Geral/Gabinete · 02 Pessoal · 03 Licitações, Contratos e
# Convênios · 04 Finanças · 05 Tributário · 06 Patrimônio · 07 Obras e
# Urbanismo · 08 Saúde · 09 Educação · 10 Assistência Social · 11 Ouvidoria ·
# 12 Legislativo.
_PUB = ("publico", "restrito")
_RES = ("restrito",)
_RES_SIG = ("restrito", "sigiloso")

PROCESS_TYPES = (
    {"name": "Administração Geral: Processo Administrativo", "code": "01.01.01",
     "suggested_level": "publico", "allowed_levels": ACCESS_LEVELS,
     "suggested_legal_basis": None},
    {"name": "Gabinete: Correspondência Recebida", "code": "01.02.01",
     "suggested_level": "publico", "allowed_levels": ACCESS_LEVELS,
     "suggested_legal_basis": None},
    {"name": "Gabinete: Decreto", "code": "01.02.02",
     "suggested_level": "publico", "allowed_levels": _PUB,
     "suggested_legal_basis": None},
    {"name": "Pessoal: Nomeação", "code": "02.01.01",
     "suggested_level": "publico", "allowed_levels": _PUB,
     "suggested_legal_basis": None},
    {"name": "Pessoal: Férias", "code": "02.02.01",
     "suggested_level": "publico", "allowed_levels": _PUB,
     "suggested_legal_basis": None},
    {"name": "Pessoal: Licença para Tratamento de Saúde", "code": "02.02.02",
     "suggested_level": "restrito", "allowed_levels": _RES,
     "suggested_legal_basis": "Informação Pessoal"},
    {"name": "Pessoal: Aposentadoria", "code": "02.03.01",
     "suggested_level": "restrito", "allowed_levels": _PUB,
     "suggested_legal_basis": "Informação Pessoal"},
    {"name": "Pessoal: Processo Administrativo Disciplinar", "code": "02.04.01",
     "suggested_level": "restrito", "allowed_levels": _RES_SIG,
     "suggested_legal_basis": "Investigação de Responsabilidade de Servidor"},
    {"name": "Licitação: Pregão Eletrônico", "code": "03.01.01",
     "suggested_level": "publico", "allowed_levels": _PUB,
     "suggested_legal_basis": None},
    {"name": "Licitação: Dispensa", "code": "03.01.02",
     "suggested_level": "publico", "allowed_levels": _PUB,
     "suggested_legal_basis": None},
    {"name": "Contrato: Aditivo", "code": "03.02.01",
     "suggested_level": "publico", "allowed_levels": _PUB,
     "suggested_legal_basis": None},
    {"name": "Convênio: Celebração", "code": "03.03.01",
     "suggested_level": "publico", "allowed_levels": _PUB,
     "suggested_legal_basis": None},
    {"name": "Finanças: Pagamento a Fornecedor", "code": "04.01.01",
     "suggested_level": "publico", "allowed_levels": _PUB,
     "suggested_legal_basis": None},
    {"name": "Tributário: Restituição de IPTU", "code": "05.01.01",
     "suggested_level": "restrito", "allowed_levels": _PUB,
     "suggested_legal_basis": "Situação Econômico-Financeira de Sujeito Passivo"},
    {"name": "Tributário: Isenção de IPTU", "code": "05.01.02",
     "suggested_level": "restrito", "allowed_levels": _PUB,
     "suggested_legal_basis": "Situação Econômico-Financeira de Sujeito Passivo"},
    {"name": "Patrimônio: Baixa de Bem", "code": "06.01.01",
     "suggested_level": "publico", "allowed_levels": _PUB,
     "suggested_legal_basis": None},
    {"name": "Obras: Alvará de Construção", "code": "07.01.01",
     "suggested_level": "publico", "allowed_levels": _PUB,
     "suggested_legal_basis": None},
    {"name": "Saúde: Tratamento Fora do Domicílio (TFD)", "code": "08.01.01",
     "suggested_level": "restrito", "allowed_levels": _RES,
     "suggested_legal_basis": "Informação Pessoal"},
    {"name": "Educação: Matrícula/Transferência", "code": "09.01.01",
     "suggested_level": "restrito", "allowed_levels": _RES,
     "suggested_legal_basis": "Informação Pessoal"},
    {"name": "Assistência Social: Benefício Eventual", "code": "10.01.01",
     "suggested_level": "restrito", "allowed_levels": _RES,
     "suggested_legal_basis": "Informação Pessoal"},
    {"name": "Ouvidoria: Reclamação", "code": "11.01.01",
     "suggested_level": "restrito", "allowed_levels": _PUB,
     "suggested_legal_basis": "Informação Pessoal"},
    {"name": "Ouvidoria: Pedido de Acesso à Informação", "code": "11.02.01",
     "suggested_level": "publico", "allowed_levels": _PUB,
     "suggested_legal_basis": None},
    {"name": "Legislativo: Projeto de Lei", "code": "12.01.01",
     "suggested_level": "publico", "allowed_levels": ("publico",),
     "suggested_legal_basis": None},
    {"name": "Legislativo: Requerimento de Vereador", "code": "12.02.01",
     "suggested_level": "publico", "allowed_levels": ("publico",),
     "suggested_legal_basis": None},
    {"name": "Legislativo: Indicação", "code": "12.02.02",
     "suggested_level": "publico", "allowed_levels": ("publico",),
     "suggested_legal_basis": None},
)

# ---------------------------------------------------------------------------
# 3. Tipos de Documento
# ---------------------------------------------------------------------------
_T_UNIT = "{tipo} nº {numero}/{ano}/{siglas}"
_T_ORG = "{tipo} nº {numero}/{ano}"

_OFICIO = """<p><strong>{tipo} nº {numero}/{ano}/{siglas}</strong></p>
<p>{cidade}, {data_extenso}.</p>
<p>A Sua Senhoria o(a) Senhor(a)<br><strong>{destinatario}</strong></p>
<p><strong>Assunto:</strong> [assunto].</p>
<p><strong>Referência:</strong> Processo nº {processo}.</p>
<p>Senhor(a),</p>
<p>1. Cumprimentando-o(a) cordialmente, [exposição do assunto].</p>
<p>2. [Solicitação ou informação complementar.]</p>
<p>3. Colocamo-nos à disposição para eventuais esclarecimentos.</p>
<p>Atenciosamente,</p>
<p>{unidade}<br>{orgao}</p>"""

_MEMORANDO = """<p><strong>{tipo} nº {numero}/{ano}/{siglas}</strong></p>
<p>{cidade}, {data_extenso}.</p>
<p>Ao(À) {destinatario}</p>
<p><strong>Assunto:</strong> [assunto].</p>
<p>1. [Texto do memorando.]</p>
<p>2. [Providência solicitada e prazo, se houver.]</p>
<p>Atenciosamente,</p>"""

_DESPACHO = """<p><strong>{tipo} nº {numero}/{ano}/{siglas}</strong></p>
<p><strong>Processo nº {processo}</strong><br>Interessado(s): {interessados}</p>
<p>À {destinatario},</p>
<p>[Considerando o teor dos autos, encaminhe-se para análise e manifestação.]</p>
<p>{cidade}, {data_extenso}.</p>"""

_PARECER = """<p><strong>{tipo} nº {numero}/{ano}/{siglas}</strong></p>
<p><strong>Processo nº {processo}</strong><br>Interessado(s): {interessados}<br>Assunto: [assunto]</p>
<blockquote><em>Ementa: [síntese da matéria e da conclusão].</em></blockquote>
<h3>I – RELATÓRIO</h3>
<p>[Breve histórico dos fatos e do pedido.]</p>
<h3>II – FUNDAMENTAÇÃO</h3>
<p>[Análise jurídica/técnica, com indicação da legislação aplicável.]</p>
<h3>III – CONCLUSÃO</h3>
<p>[Opinião conclusiva e recomendações.]</p>
<p>É o parecer, salvo melhor juízo.</p>
<p>{cidade}, {data_extenso}.</p>"""

_PORTARIA = """<p><strong>{tipo} nº {numero}/{ano}</strong></p>
<blockquote><em>[Ementa: dispõe sobre ...]</em></blockquote>
<p>O(A) [cargo da autoridade] do(a) {orgao}, no uso de suas atribuições legais, e considerando o que consta do Processo nº {processo},</p>
<p><strong>RESOLVE:</strong></p>
<p>Art. 1º [Disposição principal.]</p>
<p>Art. 2º [Disposição complementar.]</p>
<p>Art. 3º Esta Portaria entra em vigor na data de sua publicação.</p>
<p>{cidade}/{uf}, {data_extenso}.</p>"""

_DECRETO = """<p><strong>{tipo} nº {numero}/{ano}</strong></p>
<blockquote><em>[Ementa: dispõe sobre ...]</em></blockquote>
<p>O(A) PREFEITO(A) DO MUNICÍPIO DE {cidade}/{uf}, no uso das atribuições que lhe confere a Lei Orgânica do Município, e considerando o que consta do Processo nº {processo},</p>
<p><strong>DECRETA:</strong></p>
<p>Art. 1º [Disposição principal.]</p>
<p>Art. 2º [Disposição complementar.]</p>
<p>Art. 3º Este Decreto entra em vigor na data de sua publicação.</p>
<p>{cidade}/{uf}, {data_extenso}.</p>"""

_REQUERIMENTO = """<p><strong>REQUERIMENTO</strong></p>
<p>Ao(À) {destinatario}</p>
<p>{interessados}, [qualificação: nacionalidade, estado civil, CPF, endereço], vem, respeitosamente, requerer [objeto do pedido], pelos motivos a seguir expostos:</p>
<p>[Justificativa do pedido.]</p>
<p>Documentos anexos:</p>
<ul><li>[documento]</li></ul>
<p>Nestes termos, pede deferimento.</p>
<p>{cidade}, {data_extenso}.</p>"""

_CERTIDAO = """<p><strong>{tipo} nº {numero}/{ano}/{siglas}</strong></p>
<p><strong>CERTIFICO</strong>, para os devidos fins, a pedido de {interessados}, e conforme consta do Processo nº {processo}, que [teor da certidão].</p>
<p>O referido é verdade e dou fé.</p>
<p>{unidade} – {orgao}<br>{cidade}/{uf}, {data_extenso}.</p>"""

_DECLARACAO = """<p><strong>{tipo} nº {numero}/{ano}/{siglas}</strong></p>
<p><strong>DECLARO</strong>, para os devidos fins, que [teor da declaração].</p>
<p>Por ser expressão da verdade, firmo a presente declaração.</p>
<p>{cidade}/{uf}, {data_extenso}.</p>"""

_CI = """<p><strong>{tipo} nº {numero}/{ano}/{siglas}</strong></p>
<table>
<tr><th>De:</th><td>{unidade}</td></tr>
<tr><th>Para:</th><td>{destinatario}</td></tr>
<tr><th>Data:</th><td>{data_extenso}</td></tr>
<tr><th>Assunto:</th><td>[assunto]</td></tr>
</table>
<p>[Texto da comunicação.]</p>
<p>Atenciosamente,</p>"""

_TR = """<p><strong>{tipo} nº {numero}/{ano}/{siglas}</strong></p>
<p><strong>Processo nº {processo}</strong></p>
<h3>1. DO OBJETO</h3>
<p>[Descrição sucinta do objeto da contratação.]</p>
<h3>2. DA JUSTIFICATIVA</h3>
<p>[Necessidade da contratação e fundamentação legal (Lei nº 14.133/2021).]</p>
<h3>3. DAS ESPECIFICAÇÕES TÉCNICAS</h3>
<table>
<tr><th>Item</th><th>Descrição</th><th>Unidade</th><th>Quantidade</th></tr>
<tr><td>1</td><td>[descrição]</td><td>[un.]</td><td>[qtd.]</td></tr>
</table>
<h3>4. DOS PRAZOS E LOCAL DE ENTREGA/EXECUÇÃO</h3>
<p>[Prazo de entrega ou execução e local.]</p>
<h3>5. DAS OBRIGAÇÕES DA CONTRATADA E DA CONTRATANTE</h3>
<ul><li>[obrigação]</li></ul>
<h3>6. DA GESTÃO E FISCALIZAÇÃO</h3>
<p>[Gestor(a) e fiscal do contrato.]</p>
<p>{cidade}, {data_extenso}.</p>"""

_CONTRATO = """<p><strong>{tipo} nº {numero}/{ano}</strong></p>
<p><strong>Processo nº {processo}</strong></p>
<p>Contrato que entre si celebram o(a) {orgao}, doravante denominado(a) CONTRATANTE, e {interessados}, doravante denominado(a) CONTRATADO(A), com fundamento na Lei nº 14.133, de 1º de abril de 2021, mediante as cláusulas e condições seguintes:</p>
<p><strong>CLÁUSULA PRIMEIRA – DO OBJETO</strong><br>[Descrição do objeto.]</p>
<p><strong>CLÁUSULA SEGUNDA – DO VALOR E DA DOTAÇÃO ORÇAMENTÁRIA</strong><br>[Valor global e dotação.]</p>
<p><strong>CLÁUSULA TERCEIRA – DA VIGÊNCIA</strong><br>[Prazo de vigência.]</p>
<p><strong>CLÁUSULA QUARTA – DAS OBRIGAÇÕES DAS PARTES</strong><br>[Obrigações.]</p>
<p><strong>CLÁUSULA QUINTA – DA FISCALIZAÇÃO</strong><br>[Gestor(a) e fiscal.]</p>
<p><strong>CLÁUSULA SEXTA – DAS SANÇÕES</strong><br>[Penalidades nos termos da Lei nº 14.133/2021.]</p>
<p><strong>CLÁUSULA SÉTIMA – DO FORO</strong><br>Fica eleito o foro da Comarca de {cidade}/{uf} para dirimir as questões oriundas deste contrato.</p>
<p>E, por estarem de acordo, as partes assinam o presente instrumento eletronicamente.</p>
<p>{cidade}/{uf}, {data_extenso}.</p>"""

_ATA = """<p><strong>{tipo} nº {numero}/{siglas}</strong></p>
<p>Ata da reunião [ordinária/extraordinária] de [colegiado/comissão], realizada em {data_extenso}.</p>
<p>Em {data_extenso}, às [hora], na [local], em {cidade}/{uf}, reuniram-se:</p>
<ul><li>[nome – cargo]</li><li>[nome – cargo]</li></ul>
<p><strong>Pauta:</strong></p>
<ol><li>[item de pauta]</li></ol>
<p><strong>Deliberações:</strong></p>
<p>[Registro das discussões e decisões.]</p>
<p>Nada mais havendo a tratar, a reunião foi encerrada, e eu, {usuario}, lavrei a presente ata, que, lida e aprovada, vai assinada pelos presentes.</p>"""

_RELATORIO = """<p><strong>{tipo} nº {numero}/{ano}/{siglas}</strong></p>
<p><strong>Processo nº {processo}</strong><br>Assunto: [assunto]</p>
<h3>1. INTRODUÇÃO</h3>
<p>[Objetivo e escopo do relatório.]</p>
<h3>2. DESENVOLVIMENTO</h3>
<p>[Atividades realizadas, dados e constatações.]</p>
<h3>3. CONCLUSÃO E RECOMENDAÇÕES</h3>
<p>[Conclusões e encaminhamentos propostos.]</p>
<p>{cidade}, {data_extenso}.</p>"""

_NOTA_TECNICA = """<p><strong>{tipo} nº {numero}/{ano}/{siglas}</strong></p>
<p><strong>Processo nº {processo}</strong><br>Interessado(s): {interessados}<br>Assunto: [assunto]</p>
<h3>I – CONTEXTUALIZAÇÃO</h3>
<p>[Descrição da demanda.]</p>
<h3>II – ANÁLISE TÉCNICA</h3>
<p>[Análise, critérios e dados utilizados.]</p>
<h3>III – CONCLUSÃO</h3>
<p>[Posicionamento técnico e recomendação.]</p>
<p>À consideração superior.</p>
<p>{cidade}, {data_extenso}.</p>"""

_EDITAL = """<p><strong>{tipo} nº {numero}/{ano}</strong></p>
<p><strong>Processo nº {processo}</strong></p>
<p>O(A) {orgao} torna público, para conhecimento dos interessados, que realizará [modalidade e critério de julgamento], nos termos da Lei nº 14.133, de 1º de abril de 2021, e das condições deste Edital.</p>
<h3>1. DO OBJETO</h3>
<p>[Objeto, conforme Termo de Referência anexo.]</p>
<h3>2. DA SESSÃO PÚBLICA</h3>
<p>Data: [data] – Horário: [hora] – Local/endereço eletrônico: [local].</p>
<h3>3. DAS CONDIÇÕES DE PARTICIPAÇÃO</h3>
<p>[Requisitos e vedações.]</p>
<h3>4. DA HABILITAÇÃO</h3>
<p>[Documentos exigidos.]</p>
<h3>5. DA IMPUGNAÇÃO E DOS PEDIDOS DE ESCLARECIMENTO</h3>
<p>[Prazos e forma.]</p>
<h3>6. DAS DISPOSIÇÕES GERAIS</h3>
<p>[Disposições finais e anexos.]</p>
<p>{cidade}/{uf}, {data_extenso}.</p>"""


def _doc(name, applies_to, model="", numbering="unit_year", title=_T_UNIT,
         suggested_level="publico"):
    return {"name": name, "applies_to": applies_to, "numbering": numbering,
            "title": title, "suggested_level": suggested_level,
            "model": model}


DOCUMENT_TYPES = (
    _doc("Ofício", "both", _OFICIO),
    _doc("Memorando", "internal", _MEMORANDO),
    _doc("Despacho", "internal", _DESPACHO),
    _doc("Parecer", "both", _PARECER),
    _doc("Portaria", "both", _PORTARIA, numbering="org_year", title=_T_ORG),
    _doc("Decreto", "both", _DECRETO, numbering="org_year", title=_T_ORG),
    # Requerimento: em geral apresentado por cidadão/servidor, sem numeração.
    _doc("Requerimento", "both", _REQUERIMENTO, numbering="none",
         title="{tipo}"),
    _doc("Certidão", "both", _CERTIDAO),
    _doc("Declaração", "both", _DECLARACAO),
    _doc("Comunicação Interna", "internal", _CI),
    _doc("Termo de Referência", "internal", _TR),
    _doc("Contrato", "both", _CONTRATO, numbering="org_year", title=_T_ORG),
    # Atas: numeração contínua por unidade/colegiado, sem reinício anual.
    _doc("Ata", "both", _ATA, numbering="unit", title="{tipo} nº {numero}/{siglas}"),
    _doc("Relatório", "both", _RELATORIO),
    _doc("Nota Técnica", "internal", _NOTA_TECNICA),
    _doc("Edital", "internal", _EDITAL, numbering="org_year", title=_T_ORG),
    # Somente externos (digitalizados/anexados), sem modelo.
    _doc("Nota Fiscal", "external", numbering="manual",
         title="{tipo} nº {numero}"),
    _doc("Comprovante", "external", numbering="none", title="{tipo}"),
    _doc("Documento de Identificação", "external", numbering="none",
         title="{tipo}", suggested_level="restrito"),
    _doc("Anexo", "external", numbering="none", title="{tipo}"),
    _doc("E-mail", "external", numbering="none", title="{tipo}"),
)

# ---------------------------------------------------------------------------
# 4. Cargos/Funções para assinatura
# ---------------------------------------------------------------------------
SIGNATURE_ROLES = (
    "Servidor(a)",
    "Assistente Administrativo(a)",
    "Chefe de Setor",
    "Coordenador(a)",
    "Diretor(a)",
    "Assessor(a) Jurídico(a)",
    "Procurador(a) Municipal",
    "Secretário(a) Municipal",
    "Secretário(a) Municipal Adjunto(a)",
    "Prefeito(a)",
    "Vice-Prefeito(a)",
    "Presidente da Câmara",
    "Vereador(a)",
    "Controlador(a) Interno(a)",
    "Pregoeiro(a)",
    "Membro de Comissão",
)

# ---------------------------------------------------------------------------
# 5. Textos Padrão: (nome, HTML)
# ---------------------------------------------------------------------------
STANDARD_TEXTS = (
    ("Encaminhamento para análise",
     "<p>À {destinatario},</p>\n"
     "<p>Encaminhamos o Processo nº {processo}, de interesse de "
     "{interessados}, para análise e manifestação quanto a [assunto], no "
     "âmbito de suas competências.</p>\n"
     "<p>Atenciosamente,</p>"),
    ("Ciência e arquivamento",
     "<p>Ciente.</p>\n"
     "<p>Considerando que as providências relativas ao Processo nº "
     "{processo} foram concluídas, arquive-se nesta unidade ({unidade}).</p>"),
    ("Solicitação de informações",
     "<p>À {destinatario},</p>\n"
     "<p>Para instrução do Processo nº {processo}, solicitamos, no prazo de "
     "[número] dias, as seguintes informações:</p>\n"
     "<ol><li>[informação solicitada]</li></ol>\n"
     "<p>Atenciosamente,</p>"),
    ("Devolução para correção",
     "<p>À {destinatario},</p>\n"
     "<p>Restituímos o Processo nº {processo} para correção dos seguintes "
     "pontos:</p>\n"
     "<ul><li>[apontamento]</li></ul>\n"
     "<p>Após as providências, retorne-se a esta unidade ({unidade}).</p>"),
)

# ---------------------------------------------------------------------------
# 6. Fundamento legal impresso sob as assinaturas eletrônicas
# ---------------------------------------------------------------------------
# A assinatura feita no sistema (usuário identificado por credencial
# institucional pessoal e intransferível, com registro de data/hora e código
# verificador de integridade) enquadra-se como assinatura eletrônica
# *avançada* (art. 4º, II, da Lei nº 14.063/2020), nível admitido pelo art. 5º
# da mesma lei para a maioria dos atos internos e das interações com o
# cidadão — é o enquadramento usado pelo SEI. Cada município pode alterá-lo
# conforme o seu regulamento (por exemplo, exigindo ICP-Brasil, art. 4º, III).
SIGNATURE_LEGAL_TEXT_DEFAULT = "art. 4º, II, da Lei nº 14.063, de 23 de setembro de 2020"
