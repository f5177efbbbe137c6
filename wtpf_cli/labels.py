"""The fixed words of our documents in the six languages of the Union, {key: {language: text}}, and the few
functions that fill them in. A workspace may override any of them in wtpf.toml (`[labels.fr]`, README).

`{name}` in a text is a blank the caller fills in (a language, a version name, a title); the ladder's version
names are keys by their English names, so that a custom ladder can be given its translations the same way.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping

from wtpf_cli.languages import base_language

LABELS: dict[str, dict[str, str]] = {
    # The cover (ITU usage: "Original: English" names the language the text was written in).
    "original": {
        "ar": "الأصل: {language}",
        "zh": "原文：{language}",
        "en": "Original: {language}",
        "fr": "Original : {language}",
        "ru": "Оригинал: {language}",
        "es": "Original: {language}",
    },
    "language_ar": {"ar": "بالعربية", "zh": "阿拉伯文", "en": "Arabic", "fr": "arabe", "ru": "арабский", "es": "árabe"},
    "language_zh": {"ar": "بالصينية", "zh": "中文", "en": "Chinese", "fr": "chinois", "ru": "китайский", "es": "chino"},
    "language_en": {
        "ar": "بالإنكليزية",
        "zh": "英文",
        "en": "English",
        "fr": "anglais",
        "ru": "английский",
        "es": "inglés",
    },
    "language_fr": {
        "ar": "بالفرنسية",
        "zh": "法文",
        "en": "French",
        "fr": "français",
        "ru": "французский",
        "es": "francés",
    },
    "language_ru": {"ar": "بالروسية", "zh": "俄文", "en": "Russian", "fr": "russe", "ru": "русский", "es": "ruso"},
    "language_es": {
        "ar": "بالإسبانية",
        "zh": "西班牙文",
        "en": "Spanish",
        "fr": "espagnol",
        "ru": "испанский",
        "es": "español",
    },
    "no_symbol": {
        "ar": "(بدون رمز)",
        "zh": "（无文号）",
        "en": "(no symbol)",
        "fr": "(sans cote)",
        "ru": "(без условного обозначения)",
        "es": "(sin signatura)",
    },
    "undated": {
        "ar": "(بدون تاريخ)",
        "zh": "（无日期）",
        "en": "(undated)",
        "fr": "(non daté)",
        "ru": "(без даты)",
        "es": "(sin fecha)",
    },
    "untitled": {
        "ar": "(بدون عنوان)",
        "zh": "（无标题）",
        "en": "(untitled)",
        "fr": "(sans titre)",
        "ru": "(без названия)",
        "es": "(sin título)",
    },
    # The ladder's version names (store/config.py DEFAULT_LADDER), the working draft and annexes.
    "Working draft": {
        "ar": "مسودة عمل",
        "zh": "工作稿",
        "en": "Working draft",
        "fr": "Projet de travail",
        "ru": "Рабочий проект",
        "es": "Proyecto de trabajo",
    },
    "working draft": {  # in running text
        "ar": "مسودة العمل",
        "zh": "工作稿",
        "en": "working draft",
        "fr": "projet de travail",
        "ru": "рабочий проект",
        "es": "proyecto de trabajo",
    },
    "First Draft": {
        "ar": "المسودة الأولى",
        "zh": "第一稿",
        "en": "First Draft",
        "fr": "Premier projet",
        "ru": "Первый проект",
        "es": "Primer proyecto",
    },
    "Preliminary Second Draft": {
        "ar": "المسودة الثانية الأولية",
        "zh": "第二稿初稿",
        "en": "Preliminary Second Draft",
        "fr": "Deuxième projet préliminaire",
        "ru": "Предварительный второй проект",
        "es": "Segundo proyecto preliminar",
    },
    "Second Draft": {
        "ar": "المسودة الثانية",
        "zh": "第二稿",
        "en": "Second Draft",
        "fr": "Deuxième projet",
        "ru": "Второй проект",
        "es": "Segundo proyecto",
    },
    "Third Draft": {
        "ar": "المسودة الثالثة",
        "zh": "第三稿",
        "en": "Third Draft",
        "fr": "Troisième projet",
        "ru": "Третий проект",
        "es": "Tercer proyecto",
    },
    "Fourth Draft": {
        "ar": "المسودة الرابعة",
        "zh": "第四稿",
        "en": "Fourth Draft",
        "fr": "Quatrième projet",
        "ru": "Четвертый проект",
        "es": "Cuarto proyecto",
    },
    "Final Report": {
        "ar": "التقرير النهائي",
        "zh": "最终报告",
        "en": "Final Report",
        "fr": "Rapport final",
        "ru": "Окончательный отчет",
        "es": "Informe final",
    },
    "Annex": {"ar": "ملحق", "zh": "附件", "en": "Annex", "fr": "Annexe", "ru": "Приложение", "es": "Anexo"},
    "annex_to": {  # an annex's version line on its cover: the version it belongs to
        "ar": "ملحق: {version}",
        "zh": "附件：{version}",
        "en": "Annex to the {version}",
        "fr": "Annexe : {version}",
        "ru": "Приложение: {version}",
        "es": "Anexo: {version}",
    },
    # The redline.
    "revision_marks": {
        "ar": "علامات المراجعة من {old} إلى {new}",
        "zh": "修订标记：从{old}到{new}",
        "en": "Revision marks from {old} to {new}",
        "fr": "Marques de révision de {old} à {new}",
        "ru": "Исправления от {old} к {new}",
        "es": "Marcas de revisión de {old} a {new}",
    },
    # The redline's first page (render/summary.py): its table's heads, its key, and the counts of the HTML legend.
    "summary_source": {"ar": "المصدر", "zh": "来源", "en": "Source", "fr": "Source", "ru": "Источник", "es": "Fuente"},
    "summary_insertions": {
        "ar": "الإضافات",
        "zh": "插入",
        "en": "Insertions",
        "fr": "Insertions",
        "ru": "Вставки",
        "es": "Inserciones",
    },
    "summary_deletions": {
        "ar": "الحذف",
        "zh": "删除",
        "en": "Deletions",
        "fr": "Suppressions",
        "ru": "Удаления",
        "es": "Supresiones",
    },
    "summary_moves": {
        "ar": "النقل",
        "zh": "移动",
        "en": "Moves",
        "fr": "Déplacements",
        "ru": "Перемещения",
        "es": "Desplazamientos",
    },
    "summary_formatting": {
        "ar": "التنسيق",
        "zh": "格式",
        "en": "Formatting",
        "fr": "Mise en forme",
        "ru": "Форматирование",
        "es": "Formato",
    },
    "summary_comments": {
        "ar": "التعليقات",
        "zh": "评论",
        "en": "Comments",
        "fr": "Commentaires",
        "ru": "Комментарии",
        "es": "Comentarios",
    },
    "summary_dates": {"ar": "التواريخ", "zh": "日期", "en": "Dates", "fr": "Dates", "ru": "Даты", "es": "Fechas"},
    "no_changes": {
        "ar": "لا توجد تغييرات.",
        "zh": "无修改。",
        "en": "No changes.",
        "fr": "Aucune modification.",
        "ru": "Изменений нет.",
        "es": "Sin cambios.",
    },
    "summary_key": {
        "ar": (
            "كل تغيير موسوم باسم المصدر الذي أحدثه الإيداع الخاص به، مع تاريخه. الفقرة المنقولة موسومة في موضعها "
            "السابق وفي موضعها الجديد؛ والكلمات التي أعيد تنسيقها والفقرات التي حُوّلت إلى نوع آخر (عنوان، بند في "
            "قائمة) موسومة كتغييرات في التنسيق. يعطي «قبول الكل» نص {new}، ويعطي «رفض الكل» نص {old}. هذه الصفحة "
            "ليست جزءاً من التقرير."
        ),
        "zh": (
            "每处修改均标注作出该修改的提交所属来源的名称及日期。移动的段落在原位置和新位置均有标注；重新设置格式的"
            "文字以及改为其他类型（标题、列表项）的段落标注为格式修改。“全部接受”得到{new}的文本，“全部拒绝”得到"
            "{old}的文本。本页不属于报告内容。"
        ),
        "en": (
            "Each change is marked under the name of the source whose commit made it, with its date. A paragraph "
            "moved is marked where it moved from and where it moved to; words formatted anew and paragraphs made "
            "another kind (a heading, a list item) are marked as formatting. Accept All gives the text of {new}, "
            "Reject All that of {old}. This page is not part of the report."
        ),
        "fr": (
            "Chaque modification est marquée au nom de la source dont le commit l'a faite, avec sa date. Un "
            "paragraphe déplacé est marqué là d'où il vient et là où il va ; les mots remis en forme et les "
            "paragraphes changés de nature (un titre, un élément de liste) sont marqués comme mise en forme. "
            "« Tout accepter » donne le texte : {new} ; « Tout refuser » : {old}. Cette page ne fait pas partie "
            "du rapport."
        ),
        "ru": (
            "Каждое изменение помечено именем источника, чей коммит его внёс, и датой. Перемещённый абзац помечен "
            "там, откуда он перемещён, и там, куда он перемещён; слова с новым форматированием и абзацы, ставшие "
            "элементом другого вида (заголовком, пунктом списка), помечены как изменения форматирования. "
            "«Принять все» даёт текст: {new}; «Отклонить все»: {old}. Эта страница не является частью отчёта."
        ),
        "es": (
            "Cada cambio está marcado con el nombre de la fuente cuyo commit lo hizo, y con su fecha. Un párrafo "
            "desplazado se marca donde estaba y donde quedó; las palabras con nuevo formato y los párrafos "
            "convertidos en otro tipo (un título, un elemento de lista) se marcan como formato. «Aceptar todo» da "
            "el texto: {new}; «Rechazar todo»: {old}. Esta página no forma parte del informe."
        ),
    },
    # Counts, as ICU plural messages (CLDR's categories: Arabic has six, Russian four, Chinese one).
    "count_insertion": {
        "ar": "{n, plural, one {إضافة واحدة} two {إضافتان} few {# إضافات} other {# إضافة}}",
        "zh": "{n, plural, other {#处插入}}",
        "en": "{n, plural, one {# insertion} other {# insertions}}",
        "fr": "{n, plural, one {# insertion} other {# insertions}}",
        "ru": "{n, plural, one {# вставка} few {# вставки} other {# вставок}}",
        "es": "{n, plural, one {# inserción} other {# inserciones}}",
    },
    "count_deletion": {
        "ar": "{n, plural, one {حذف واحد} two {حذفان} few {# حالات حذف} other {# حالة حذف}}",
        "zh": "{n, plural, other {#处删除}}",
        "en": "{n, plural, one {# deletion} other {# deletions}}",
        "fr": "{n, plural, one {# suppression} other {# suppressions}}",
        "ru": "{n, plural, one {# удаление} few {# удаления} other {# удалений}}",
        "es": "{n, plural, one {# supresión} other {# supresiones}}",
    },
    "count_move": {
        "ar": "{n, plural, one {نقل واحد} two {نقلان} few {# عمليات نقل} other {# عملية نقل}}",
        "zh": "{n, plural, other {#处移动}}",
        "en": "{n, plural, one {# move} other {# moves}}",
        "fr": "{n, plural, one {# déplacement} other {# déplacements}}",
        "ru": "{n, plural, one {# перемещение} few {# перемещения} other {# перемещений}}",
        "es": "{n, plural, one {# desplazamiento} other {# desplazamientos}}",
    },
    "count_formatting": {
        "ar": "{n, plural, one {تغيير تنسيق واحد} two {تغييرا تنسيق} few {# تغييرات تنسيق} other {# تغيير تنسيق}}",
        "zh": "{n, plural, other {#处格式修改}}",
        "en": "{n, plural, one {# formatting change} other {# formatting changes}}",
        "fr": "{n, plural, one {# modification de mise en forme} other {# modifications de mise en forme}}",
        "ru": "{n, plural, one {# изменение форматирования} few {# изменения форматирования} other {# изменений "
        "форматирования}}",
        "es": "{n, plural, one {# cambio de formato} other {# cambios de formato}}",
    },
    "count_comment": {
        "ar": "{n, plural, one {تعليق واحد} two {تعليقان} few {# تعليقات} many {# تعليقًا} other {# تعليق}}",
        "zh": "{n, plural, other {#条评论}}",
        "en": "{n, plural, one {# comment} other {# comments}}",
        "fr": "{n, plural, one {# commentaire} other {# commentaires}}",
        "ru": "{n, plural, one {# комментарий} few {# комментария} other {# комментариев}}",
        "es": "{n, plural, one {# comentario} other {# comentarios}}",
    },
    # The annexes.
    "disposition_title": {
        "ar": "{title}: التصرف في المساهمات",
        "zh": "{title}：文稿处理情况",
        "en": "{title}: disposition of contributions",
        "fr": "{title} : suite donnée aux contributions",
        "ru": "{title}: рассмотрение вкладов",
        "es": "{title}: curso dado a las contribuciones",
    },
    "disposition_heading": {
        "ar": "التصرف في المساهمات",
        "zh": "文稿处理情况",
        "en": "Disposition of contributions",
        "fr": "Suite donnée aux contributions",
        "ru": "Рассмотрение вкладов",
        "es": "Curso dado a las contribuciones",
    },
    "provenance_title": {
        "ar": "{title}: مصدر النص",
        "zh": "{title}：案文来源",
        "en": "{title}: provenance of the text",
        "fr": "{title} : origine du texte",
        "ru": "{title}: происхождение текста",
        "es": "{title}: procedencia del texto",
    },
    # Dates ("13 April 2012"): the order of day, month and year; the months (Russian: genitive).
    "date": {
        "ar": "{day} {month} {year}",
        "zh": "{year}年{month}{day}日",
        "en": "{day} {month} {year}",
        "fr": "{day} {month} {year}",
        "ru": "{day} {month} {year} года",
        "es": "{day} de {month} de {year}",
    },
    "day_1": {"ar": "1", "zh": "1", "en": "1", "fr": "1er", "ru": "1", "es": "1"},  # French: an ordinal
}
_MONTHS = {
    "ar": "يناير فبراير مارس أبريل مايو يونيو يوليو أغسطس سبتمبر أكتوبر نوفمبر ديسمبر",
    "zh": "1月 2月 3月 4月 5月 6月 7月 8月 9月 10月 11月 12月",
    "en": "January February March April May June July August September October November December",
    "fr": "janvier février mars avril mai juin juillet août septembre octobre novembre décembre",
    "ru": "января февраля марта апреля мая июня июля августа сентября октября ноября декабря",
    "es": "enero febrero marzo abril mayo junio julio agosto septiembre octubre noviembre diciembre",
}
for _lang, _names in _MONTHS.items():
    for _n, _name in enumerate(_names.split(), 1):
        LABELS.setdefault(f"month_{_n}", {})[_lang] = _name

_REV = re.compile(r"^(?P<base>.*?)(?P<rev>\s*\(Rev\.\s*\d+\))?$")
_BLANK = re.compile(r"\{(\w+)\}")
_overrides: dict[str, dict[str, str]] = {}  # language -> key -> text, from wtpf.toml's [labels.*]


def use_overrides(table: Mapping[str, Mapping[str, str]]) -> None:
    """Take a workspace's own words (wtpf.toml's [labels.LANGUAGE] tables) instead of ours from now on."""
    _overrides.clear()
    for language, texts in table.items():
        _overrides.setdefault(base_language(language), {}).update(texts)


def label(key: str, lang: str, **blanks: str) -> str:
    """The text of `key` in language `lang` (the workspace's override, ours, else the English one), blanks
    filled."""
    lang = base_language(lang)
    own = _overrides.get(lang, {}).get(key)
    texts = LABELS.get(key, {})
    text = own if own is not None else texts.get(lang, texts.get("en", key))
    return _BLANK.sub(lambda m: blanks.get(m.group(1), m.group(0)), text) if blanks else text


def original_line(language: str, original: str) -> str:
    """'Original: English' in `language` for a text first written in `original`."""
    key = f"language_{base_language(original)}"
    name = label(key, language) if key in LABELS or key in _overrides.get(base_language(language), {}) else original
    return label("original", language, language=name)


def version_name(name: str, language: str) -> str:
    """A version's name in `language`: a ladder name translated, any '(Rev.N)' kept; other names as they are."""
    m = _REV.match(name)
    base, rev = (m.group("base"), m.group("rev") or "") if m else (name, "")
    known = base in LABELS or base in _overrides.get(base_language(language), {})
    return label(base, language) + rev if known else name


def count(key: str, n: int, lang: str) -> str:
    """'3 insertions' in `lang`: the plural form its grammar asks for (ICU's plural rules), digits as in a table."""
    import icu  # ICU's plural rules (pyicu-wheels, as the word segmenter); imported where a count is written

    locale = icu.Locale(f"{base_language(lang)}@numbers=latn")  # the same digits as the first page's table
    return str(icu.MessageFormat(label(key, lang), locale).format(["n"], [icu.Formattable(n)]))


def format_date(iso: str, language: str = "en") -> str:
    """'2012-04-13' -> '13 April 2012' in `language` (as on an ITU cover); other text is returned as is."""
    try:
        day = dt.date.fromisoformat(iso)
    except ValueError:
        return iso
    shown = label("day_1", language) if day.day == 1 else str(day.day)
    return label("date", language, day=shown, month=label(f"month_{day.month}", language), year=str(day.year))
