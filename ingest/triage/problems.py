"""What is wrong, whatever the language: a question's *problems* read from its words.

A problem is a thing (water, heating, a lift, a bus route, garbage, a playground …) and, when the text
says it, what is wrong with it: it fails (is cut off, does not work, is not collected), is cold, its
quality, its pressure, its cost, a wait, a queue, its route, crowding, staff behaviour, building it.
"шанырак 2 воды нет", "Шаңырақ-2-де су жоқ", "Shanyraq-2 de su joq" and "no water in Shanyrak-2" all
read as the thing `water` failing: the problem `no_water`.

Russian, Kazakh and Latin-script Kazakh words are matched after `tokens.fold` (Kazakh letters, Latin
translit and case erased), through their endings (see `lexicon.py`). English words are matched as
written (lower case, by their beginning): folded, they would meet Russian words ("no" is "но", "bill"
is "был").

`read(folded, raw)` gives the slugs: each thing once, the question's *main* thing first (the first named
that is not only where the problem is: "stray dogs near the school" is about dogs), then every specific
problem the text names (`SLUGS`). `same_problem` compares two readings.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Sequence
from functools import cache
from pathlib import Path

from .lexicon import BLOCK, Lexicon
from .tokens import fold

__all__ = ["SLUGS", "THINGS", "read", "same_problem", "things_of"]

# thing -> its Russian, Kazakh and Latin-Kazakh words (lexicon syntax: `stem*` any ending, `stem` the usual
# endings, `=form` that form only, several words a phrase)
THINGS: dict[str, list[str]] = {
    "hot_water": ["горяч* вод*", "гвс", "ыстық су*", "ыстык су*", "issyq su*", "ystyq su*", "горячк*"],
    "water": ["вод", "водичк*", "водоснаб*", "водопровод*", "водокан*", "=су", "=суы", "=суды", "=суға",
              "=суга", "=суын", "=судың", "=судын", "=сусыз", "=суу", "=кран", "=краны", "=кранах",
              "ауыз су*", "ауызсу*", "питьев*"],
    "sewage": ["канализ*", "кәріз*", "кариз*", "=стоки", "септик*"],
    "heating": ["отоплен*", "атоплен*", "батаре*", "радиатор*", "жылу", "жылыт*", "жылумен",
                "теплосет*", "=тепло", "теплоснаб*", "жылуы", "=jylu", "=zhylu", "=zhylu", "batarea*"],
    "electricity": ["=свет", "=света", "=светом", "=свету", "электр*", "электричеств*", "=жарық", "=жарығы",
                    "=жарықты", "=жарықсыз", "=жарык", "=жарыгы", "напряжен*", "трансформатор*", "кернеу*",
                    "=ток", "=тока", "=jaryq", "=jaryk", "=zharyq", "=zharyk", "=svet", "=elektr"],
    "gas": ["газ", "=газа", "=газу", "=газом", "=газы", "газоснаб*", "газопровод*", "газифик*", "газдандыр*",
            "газбен", "газсыз", "=gaz"],
    "lift": ["лифт*", "=lift", "=lifti"],
    "garbage": ["мусор*", "қоқыс*", "кокыс*", "коқыс*", "қоқым*", "контейнер*", "мусорк*", "мусоровоз*", "=тбо",
                "қалдық*", "свалк*", "полигон*", "=qoqys", "=qoqys", "=koqys", "=kokys", "=musor"],
    "bus_stop": ["остановк*", "аялдам*", "=ayaldama", "=aialdama", "павильон*", "навес*"],
    "bus": ["автобус*", "avtobus*", "маршрут*", "интервал*", "рейс*", "троллейбус*", "=brt", "бртш*",
            "маршрутк*"],
    "fare_card": ["валидатор*", "=онай", "=onay", "онай карт*", "терминал*", "=validator"],
    "metro": ["=метро", "метрополитен*", "=лрт"],
    "road": ["дорог*", "дорож*", "=жол", "=жолы", "=жолда", "=жолдар", "=жолдары", "=жолды", "=жолға",
             "асфальт*", "=яма", "=ямы", "=ям", "=ямах", "=ямой", "ямк*", "ямин*", "шұңқыр*", "шункыр*",
             "=jol", "=zhol", "брусчатк*", "тротуар*", "выбоин*", "колдоб*", "грейдер*", "грейдир*",
             "грунтов*", "=asfalt", "=shunkyr", "=shuqyr", "=shunqyr"],
    "street_lights": ["көше жарығ*", "көше жарық*", "уличн* освещ*", "уличн* свет*", "фонар*", "освещен*",
                      "=шам", "=шамдар", "=шамы", "шамдары", "жарықтандыр*", "=темно", "=темень", "=қараңғы",
                      "=караңгы", "=qarangy", "=karangy", "=fonar"],
    "traffic_light": ["светофор*", "бағдаршам*", "=bagdarsham"],
    "crossing": ["пешеходн* переход*", "=переход", "=перехода", "=переходы", "жаяу жүргінші* өткел*", "өткел*",
                 "=зебра", "надземн* переход*", "подземн* переход*"],
    "playground": ["площадк*", "=алаң", "=алаңы", "алаңша*", "ойын алаң*", "балалар алаң*", "качел*", "горк*",
                   "песочниц*", "әткеншек*", "аткеншек*"],
    "trees": ["дерев*", "деревь*", "=ағаш", "=ағаштар", "=ағаштарды", "=ағашты", "=агаш", "=агаштар",
              "=агаштарды", "вырубк*", "спил*", "сосн*", "рощ*", "тоғай*", "тогай*", "карагач*", "тополь*", "тополя",
              "кесіп", "кесу", "кесілді", "=кесіліп", "=agash", "=agashtar",
              "=agashtardy", "сквер*", "зелён* зон*", "зелен* зон*", "жасыл аймақ*"],
    "smog": ["=тэц", "=жэо", "=тэц-2", "=tets", "=chp", "смог*", "=ауа", "=ауасы", "=ауаны", "воздух*", "выброс*",
             "түтін*", "=дым",
             "=дыма", "=дымом",
             "=уголь", "=угля", "=углем", "=углём", "=көмір", "=көмірмен", "ластан*", "загрязн*", "эмисс*",
             "=tutin", "=komir"],
    "stray_dogs": ["собак*", "=иттер", "=иттерді", "иттер*", "бездомн* собак*", "қаңғыбас*", "кангыбас*",
                   "бродяч*", "=itter", "=qangybas", "=kangybas"],
    "kindergarten": ["садик*", "детсад*", "=сад", "=сада", "=саду", "=садов", "детск* сад*", "балабақша*",
                     "балабакша*", "бала бақша*", "=ясли", "=balabaqsha", "=balabaksha"],
    "school": ["школ*", "мектеп*", "=mektep", "гимназ*", "лицей*", "смен*", "ауысым*"],
    "clinic": ["поликлиник*", "емхана*", "=emhana", "=emxana", "больниц*", "аурухан*", "=врач", "=врача",
               "=врачей", "=врачи", "дәрігер*", "дариге*", "терапевт*", "педиатр*", "регистратур*", "=пмсп",
               ],
    "ambulance": ["=скорая", "=скорую", "=скорой", "скор* помощ*", "жедел жәрдем*", "=zhedel"],
    "roof": ["крыш*", "кровл*", "шатыр*", "протека*", "=течет", "=течёт", "=shatyr"],
    "flooding": ["затоп*", "подтоп*", "су басты*", "су басып*", "=лужа", "=лужи", "ливнев*", "арык*", "арық*"],
    "parking": ["парков*", "=тұрақ", "=тұрағы", "стоянк*", "автостоянк*", "паркинг*"],
    "noise": ["=шум", "=шума", "=шумно", "=шу", "=шуы", "=грохот"],
    "pole": ["электр* столб*", "электр* бағана*", "электр* багана*", "электр* опор*", "столб*", "бағана*",
             "багана*", "=опора", "=опоры"],
    "payments": ["пенси*", "зейнетақ*", "зейнетакы*", "пособи*", "жәрдемақ*", "жардемак*", "выплат*", "=асп",
                 "атаулы*", "многодетн*", "көпбалалы*", "копбалалы*", "инвалидност*", "=zeinetaky", "адресн* помощ*",
                 "соцпомощ*"],
    "construction": ["незаконн* стро*", "самострой*", "заңсыз құрылыс*",
                     "котлован*"],
    "land": ["участ*", "учаск*", "жер телім*", "жер учаск*", "телім*", "=ижс", "кадастр*", "=jer", "=zher"],
    "housing_queue": ["жилищн* очеред*", "очеред* на жил*", "тұрғын үй кезег*", "арендн* жил*", "кредитн* жил*"],
    "barrier": ["шлагбаум*", "=shlagbaum"],
    "basement": ["подвал*", "жертөле*", "жертоле*", "=zhertole"],
    "traffic_jam": ["пробк*", "кептеліс*", "кептелис*", "=keptelis", "затор*"],
    "crime": ["камер* наблюд*", "=камер", "=камеры", "=камера", "видеонаблюд*", "пьян*", "маскүнем*", "маскунем*",
              "драк*", "төбелес*", "тобелес*", "краж*", "ұрлық*", "урлык*",
              "вор", "=воры", "=воров", "наркоман*", "закладк*", "хулиган*", "бұзақы*", "бузакы*", "гонщик*",
              "дрифт*", "гоня*", "=полиция", "=полицию", "=полиции", "патрул*", "участков*", "=masкunem"],
    "snow": ["=снег", "=снега", "=снегом", "сугроб*", "гололед*", "гололёд*", "=қар", "=қарды", "=кар", "=карды",
             "=мұз", "=muz"],
    "building": ["подъезд*", "подьезд*", "кіреберіс*", "кириберис*", "фасад*", "аварийн*", "=кск", "=оси",
                 "=ksk", "=osi", "=пиу"],
}

# the same, in English: a word that starts with one of these (lower case, as written)
ENGLISH_THINGS: dict[str, list[str]] = {
    "hot_water": ["hot water"],
    "water": ["water", "tap", "taps"],
    "sewage": ["sewage", "sewer"],
    "heating": ["heating", "heat", "radiator"],
    "electricity": ["electricity", "power", "blackout", "voltage", "electric"],
    "gas": ["gas"],
    "lift": ["lift", "elevator"],
    "garbage": ["garbage", "trash", "rubbish", "waste", "dump", "landfill", "bin ", "bins ", "container"],
    "bus": ["bus", "buses", "route", "trolleybus"],
    "bus_stop": ["stop ", "stops ", "bus stop", "shelter"],
    "fare_card": ["validator", "onay", "card reader", "fare card"],
    "metro": ["metro", "subway", "underground"],
    "road": ["road", "roads", "pothole", "asphalt", "pavement", "sidewalk"],
    "street_lights": ["street light", "streetlight", "lighting", "lamp"],
    "traffic_light": ["traffic light"],
    "crossing": ["crosswalk", "crossing", "zebra"],
    "playground": ["playground", "swing", "slide"],
    "trees": ["tree", "felling", "green zone", "park", "square", "pine", "grove", "poplar"],
    "smog": ["smog", "air ", "smoke", "coal", "pollution", "emission", "chp", "tets", "power plant"],
    "stray_dogs": ["dog", "stray"],
    "kindergarten": ["kindergarten", "nursery", "preschool"],
    "school": ["school", "shift"],
    "clinic": ["clinic", "polyclinic", "hospital", "doctor", "paediatric", "pediatric", "therapist", "gp "],
    "ambulance": ["ambulance"],
    "roof": ["roof", "leak"],
    "flooding": ["flood", "puddle"],
    "parking": ["parking"],
    "noise": ["noise", "noisy"],
    "pole": ["pole"],
    "payments": ["pension", "benefit", "allowance", "disability"],
    "land": ["land", "plot"],
    "building": ["entrance", "stairwell", "facade"],
    "basement": ["basement", "cellar"],
    "barrier": ["barrier", "boom gate", "gate "],
    "traffic_jam": ["traffic jam", "jam", "congestion"],
    "crime": ["cctv", "camera", "drunk", "fight", "theft", "stolen", "robber", "police", "patrol", "drug", "racer",
              "racing"],
    "snow": ["snow", "ice ", "icy"],
    "construction": ["construction", "building site", "high-rise"],
}

# what is wrong -> its words (Russian, Kazakh, Latin-Kazakh; folded)
STATES: dict[str, list[str]] = {
    "fail": ["=нет", "=нету", "=без", "=жоқ", "=жок", "=joq", "=jok", "=zhoq", "отключ*", "=откл", "өшір*",
             "ошир*", "=өшті", "=ошти", "=өшіп", "=ошип", "сөніп", "сонип", "сөнеді", "=сонеди", "берілмей*",
             "берилмеи*", "бермей*", "бермеи*", "келмей*", "келмеи*", "жүрмей*", "журмеи*", "істемей*",
             "истемеи*", "=работает", "=работают", "=работал", "=горит", "=горят", "жанбай*", "жанбаи*", "сломал*",
             "сломан*", "поломк*", "бұзыл*", "бузил*", "пропал*", "отсутств*", "вырубил*", "=вырубает",
             "=вырубают", "=не =ходит", "=не =ходят", "=не =ходил",
             "=не =ходили", "=дают", "=дадут", "=дали", "=подают", "вывоз*", "=вывезли", "невывоз*", "әкетпей*",
             "әкетілмей*", "акетилмеи*", "акетпеи*", "әкетіл*", "жиналмай*", "шығарылмай*", "тоқтап*", "токтап*",
             "застрял*", "=sondi", "=sondi", "ishtemei*", "istemei*", "bermei*", "kelmei*",
             "=janbaidy", "=zhanbaidy", "=jumys", "тазаламай*", "тазаланбай*", "убира*", "=сухой", "=сухие",
             "құрғақ*", "=кургак", "сөн*", "=sondi", "разбит*", "бұзылған", "=ничего", "=перебои", "=перебоями",
             "үзіліп*", "=үзіліс*", "=uzilis", "=toqtady", "=tokhtady", "=өшірді", "=ошырди"],
    "cold": ["холодн*", "=холодно", "=холод", "суық*", "суык*", "=suyq", "=suyk", "еле тепл*", "чуть тепл*",
             "мерзн*", "мерзл*", "замерза*", "тоңып*", "тонып*", "тоңамыз", "мұздай*", "муздаи*", "=muzdai",
             "=жылымай*", "=жылымайды",
             "=jylymaidy"],
    "quality": ["=старые", "=старый", "=ескі", "кондиционер*", "грязн*", "ржав*", "мутн*", "=запах", "=запахом",
                "=воняет", "=вонь", "=иіс", "=иісі", "иис*",
                "=сасық", "=сасык", "лай*", "=качество", "сапа*", "хлор*", "=желтая", "=жёлтая", "коричнев*",
                "=сары", "=вкус"],
    "pressure": ["=напор", "=напора", "=напором", "давлен*", "қысым*", "кысым*", "=слабый", "=әлсіз", "=алсиз",
                 "струйк*"],
    "money": ["тариф*", "=счет", "=счета", "=счёт", "=счёта", "квитанц*", "=дорого", "қымбат*", "кымбат*",
              "оплат*", "=плата", "=плату", "переплат*", "начисл*", "төлем*", "толем*", "=төлейміз",
              "=стоимость", "подорожал*", "қарыз*", "=долг", "=долги", "=tarif", "=tarifi"],
    "build": ["=строить", "=строят", "=построят", "=построить", "строительств*", "=провести", "=проведут",
              "=подвести", "=подведут", "подключ*", "тартылмаған", "тарт*", "салыну*", "=салу", "=салып",
              "салынбай*", "газифи*", "ремонт*", "жөнде*", "жонде*", "отремонтир*", "=zhondeu", "=jondeu",
              "=tartylady", "=tartu"],
    "wait": ["интервал*", "=ждем", "=ждём", "=ждать", "=ждали", "=жду", "күтеміз", "кутемиз", "күтем*", "кутем*",
             "күту*", "кутуге", "күтіп", "кутип", "=kutemiz", "=kuttim", "=kutip", "=раз в", "минут*", "=minut",
             "=редко", "=сирек", "=sirek", "=siirek", "опаздыв*", "кешігі*", "кешиги*", "жүрмейді", "=saghat",
             "=sagat", "=сағат", "сағатқа", "=часа", "=час", "=intervaly", "=interval", "=ұзақ", "=узак", "=долго",
             "=подолгу", "=uzaq", "=uzak"],
    "queue": ["очеред*", "кезек*", "=kezek", "=kezekte", "=очередь", "запис*", "жазыл*", "=жазылу", "=zhazylu",
              "=дозвониться", "=места", "=мест", "=орын", "=орны", "=oryn"],
    "route": ["объезд*", "=вернут*", "=вернуть", "=верните", "=отменили", "отменил*", "=убрали", "убрал*",
              "=продлить", "=продлите", "ұзарт*", "узарт*", "=изменили", "жаңа маршрут*", "новый маршрут*",
              "=жабылды", "=жауып", "=кетті", "=ketti"],
    "dumped": ["свалк*", "=вываливают", "=вываливает", "=вывалили", "=вываливать", "=вывалил", "сбрасыва*",
               "выбрасыва*", "төгіп*", "тогип*", "төгеді", "үйінді*", "уиинди*", "стихийн*", "=uiindi", "=togip"],
    "crowded": ["переполн*", "толып*", "=tolyp", "=битком", "=давка", "=толы", "=тесно", "лық толы"],
    "staff": ["водител*", "жүргізуші*", "жургизуши*", "груб*", "хам*", "дөрекі*", "дореки*", "=doreki", "курит*",
              "пьян*"],
}

ENGLISH_STATES: dict[str, list[str]] = {
    "fail": ["no ", "none", "without", "cut", "off ", "outage", "broken", "broke", "not working", "dead", "stuck",
             "out of order", "collected", "pick", "blackout", "down", "doesn't work", "does not work", "dry",
             "failed", "failing", "disconnect", "shut", "interrupt", "missing", "never came", "isn't", "aren't"],
    "cold": ["cold", "freezing", "frozen"],
    "quality": ["old ", "air condition", "dirty", "rusty", "smell", "stink", "taste", "brown", "yellow", "muddy",
                "quality"],
    "pressure": ["pressure", "weak", "trickle"],
    "money": ["bill", "tariff", "price", "fee ", "fare", "charge", "overcharg", "expensive", "cost"],
    "build": ["build", "built", "construct", "connect", "repair", "fix", "reconstruct", "install"],
    "wait": ["wait", "interval", "rare", "every", "late", "minutes", "min ", "hour", "long time", "forever"],
    "queue": ["queue", "waiting list", "appointment", "no place", "no places"],
    "route": ["new route", "cancel", "extend", "detour", "removed", "moved"],
    "crowded": ["crowded", "packed", "overcrowd"],
    "dumped": ["dump", "illegal", "fly-tip", "tipping"],
    "staff": ["rude", "drunk", "smok"],
}

# (thing, what is wrong) -> the problem's slug; a state not listed for a thing says nothing more of it
SLUGS: dict[tuple[str, str], str] = {
    ("water", "fail"): "no_water",
    ("water", "quality"): "water_quality",
    ("water", "pressure"): "water_pressure",
    ("water", "money"): "water_bill",
    ("hot_water", "fail"): "no_hot_water",
    ("hot_water", "cold"): "no_hot_water",
    ("hot_water", "money"): "hot_water_bill",
    ("heating", "fail"): "no_heating",
    ("heating", "cold"): "no_heating",
    ("heating", "money"): "heating_bill",
    ("electricity", "fail"): "power_cut",
    ("electricity", "money"): "power_bill",
    ("gas", "fail"): "no_gas",
    ("gas", "build"): "no_gas",
    ("gas", "pressure"): "gas_pressure",
    ("gas", "money"): "gas_bill",
    ("lift", "fail"): "lift_broken",
    ("lift", "build"): "lift_broken",
    ("garbage", "fail"): "garbage_not_collected",
    ("garbage", "money"): "garbage_fee",
    ("garbage", "crowded"): "garbage_not_collected",
    ("garbage", "dumped"): "illegal_dump",
    ("bus", "wait"): "bus_interval",
    ("bus", "fail"): "bus_interval",
    ("bus", "route"): "bus_route",
    ("bus", "crowded"): "bus_crowded",
    ("bus", "money"): "bus_fare",
    ("bus", "staff"): "bus_driver",
    ("bus", "quality"): "bus_condition",
    ("street_lights", "fail"): "street_lights_out",
    ("kindergarten", "queue"): "kindergarten_queue",
    ("clinic", "queue"): "clinic_queue",
    ("clinic", "wait"): "clinic_queue",
    ("housing_queue", "queue"): "housing_queue",
    ("river", "discharge"): "river_pollution",
    ("river", "dumped"): "river_pollution",
    ("river", "quality"): "river_pollution",
    ("sewage", "discharge"): "sewage_leak",
    ("sewage", "fail"): "sewage_leak",
    ("school", "shortage"): "school_shifts",
    ("school", "crowded"): "school_shifts",
    ("kindergarten", "shortage"): "kindergarten_queue",
    ("clinic", "shortage"): "clinic_queue",
    ("payments", "wait"): "payment_delay",
    ("payments", "fail"): "payment_delay",
    ("ambulance", "wait"): "ambulance_late",
    ("ambulance", "fail"): "ambulance_late",
}


def _add_words(path: Path) -> None:
    """The words of a broader thesaurus (`data/problem_words.json`: kk, ru, Latin kk and en, written from
    how residents write, not from any evaluation set), after the lists above: a word either of them
    gives a label keeps it (the lexicon keeps the first label given)."""
    more: dict[str, dict[str, list[str]]] = json.loads(path.read_text(encoding="utf-8"))
    for table, key in ((THINGS, "things"), (STATES, "states"), (ENGLISH_THINGS, "english_things"),
                       (ENGLISH_STATES, "english_states")):
        for label, words in more[key].items():
            table.setdefault(label, []).extend(words)


_add_words(Path(__file__).parent / "data" / "problem_words.json")

# the slugs that say what is wrong, not only with what; and the things that are a problem by themselves (smog, a
# pack of dogs, felled trees): named, they decide the topic over the utilities the text also names
SPECIFIC = frozenset(SLUGS.values()) - set(THINGS) | {"smog"}
_STATE_ORDER = tuple(STATES)  # slugs in one order, whatever the process (a set's order is not)

# things that often say only *where* a problem is ("the dogs by the school", "garbage along the road"):
# the main thing is the first named that is not one of these, when there is one
_SETTINGS = frozenset({"school", "kindergarten", "clinic", "building", "bus", "bus_stop", "metro", "crossing", "river",
                       "traffic_jam"})

# a problem's slug -> its thing, and each thing is its own slug
_THING_OF: dict[str, str] = {slug: thing for (thing, _), slug in SLUGS.items()} | {t: t for t in THINGS}
_BLOCKED = ["баганашыл*", "бағанашыл*", "водител*", "=суд", "=суда", "=судом", "сумм*", "=углу", "=угла", "=угол",
            "=углом",
            "темір жол*", "железн* дорог*", "железнодорож*", "=temir zhol", "=temir jol"]


@cache
def _lexicons() -> tuple[Lexicon, Lexicon]:
    return Lexicon({BLOCK: _BLOCKED, **THINGS}), Lexicon(STATES)


_Pattern = tuple[int, tuple[str, ...], bool, str]  # (rank, words, whole word only, label)


class _English:
    """English words and phrases (`ENGLISH_THINGS` or `ENGLISH_STATES`) by the first letters of their first
    word, so that a word is tried against a handful of them; where several fit, the longest pattern wins."""

    def __init__(self, table: dict[str, list[str]]) -> None:
        found = sorted(((word, label) for label, words in table.items() for word in words), key=lambda p: -len(p[0]))
        self.by_head: dict[str, list[_Pattern]] = {}
        for rank, (pattern, label) in enumerate(found):
            words = tuple(pattern.split())
            if not words:
                continue
            whole = pattern.endswith(" ") and len(words) == 1
            self.by_head.setdefault(words[0][:_HEAD], []).append((rank, words, whole, label))

    def hits(self, raw: Sequence[str]) -> list[tuple[int, str]]:
        """(position, label) of the English words and phrases of `raw` (lower-case words, as written)."""
        found: list[tuple[int, str]] = []
        skip_to = 0
        for i, word in enumerate(raw):
            if i < skip_to or not word.isascii() or not word.isalpha():
                continue
            best = self._best(raw, i, word)
            if best is not None:
                found.append((i, best[3]))
                skip_to = i + len(best[1])
        return found

    def _best(self, raw: Sequence[str], i: int, word: str) -> _Pattern | None:
        candidates = self.by_head.get(word[:_HEAD], [])
        if word[:1] in self.by_head:  # a pattern whose first word is a letter ("a month ahead")
            candidates = sorted([*candidates, *self.by_head[word[:1]]])
        for candidate in candidates:  # by rank: the first that fits is the longest
            _, words, whole, _ = candidate
            if whole:
                fits = word == words[0]
            else:
                fits = all(i + k < len(raw) and raw[i + k].startswith(w) for k, w in enumerate(words))
            if fits:
                return candidate
        return None


_HEAD = 2  # patterns are filed by the first letters of their first word (no pattern is shorter)


@cache
def _english() -> tuple[_English, _English]:
    return _English(ENGLISH_THINGS), _English(ENGLISH_STATES)


def _english_hits(raw: Sequence[str], table: _English) -> list[tuple[int, str]]:
    return table.hits(raw)


_LATIN = re.compile("[a-z]")


def read(folded: Sequence[str], raw: Sequence[str] | None = None) -> list[str]:
    """The problems of a question: its things (the main one first) and the specific problems it names.
    `folded`: its words folded (`tokens.fold`); `raw`: the same words in lower case as written, for
    English (None: no English is read)."""
    things_lex, states_lex = _lexicons()
    hits = [(i, hit.label, hit.stem) for i, hit in things_lex.scan(folded)]
    english = raw is not None and _LATIN.search(" ".join(raw)) is not None
    if english:
        assert raw is not None
        hits += [(i, label, "") for i, label in _english_hits(raw, _english()[0])]
        hits.sort(key=lambda h: h[0])
    if not hits:
        return []
    # a phrase speaks for its words: "электр бағанасы" is a pole, not electricity
    covered = {i + k for i, _, stem in hits if " " in stem for k in range(stem.count(" ") + 1)}
    things: dict[str, None] = {}
    blocked: set[int] = set()
    for i, label, stem in hits:
        if label == BLOCK:
            blocked.update(range(i, i + stem.count(" ") + 1))
    for i, label, stem in hits:
        if label != BLOCK and i not in blocked and (" " in stem or i not in covered):
            things[label] = None
    if not things:
        return []
    if "hot_water" in things:
        things.pop("water", None)  # "горячей воды нет" is not "воды нет"
    said = [(i, hit.label) for i, hit in states_lex.scan(folded)]
    if english:
        assert raw is not None
        said += _english_hits([*raw, ""], _english()[1])
    where: dict[str, list[int]] = {}
    for i, label, _ in hits:
        if label in things:
            where.setdefault(label, []).append(i)
    states = _attach(said, where)
    order = list(things)
    main = next((t for t in order if t not in _SETTINGS), order[0])
    order.remove(main)
    out: list[str] = []
    for thing in (main, *order):
        out.append(thing)
        out.extend(slug for state in _STATE_ORDER if (thing, state) in states
                   and (slug := SLUGS.get((thing, state))) is not None and slug not in out)
    return out


def _attach(said: Sequence[tuple[int, str]], where: dict[str, list[int]]) -> set[tuple[str, str]]:
    """(thing, state) pairs: each state said of the things it can be said of (`SLUGS`), the nearest of them
    ("көмір қымбат, газ жоқ": coal is dear, gas is missing; not a gas bill)."""
    pairs: set[tuple[str, str]] = set()
    for at, state in said:
        near = [(min((abs(at - i), i > at) for i in spots), thing) for thing, spots in where.items()]
        if near:
            pairs.add((min(near)[1], state))  # at one distance, the thing said before the state
    return pairs


def things_of(problems: Iterable[str]) -> set[str]:
    return {_THING_OF.get(p, p) for p in problems}


def same_problem(a: Sequence[str], b: Sequence[str]) -> str | None:
    """How two questions' problems (`read`) compare: None when either names none; "same" when their main
    things are one and they name one specific problem of it, or neither names a specific problem the other
    does not; "related" when they share another thing; "" (false) when they share no thing, or name only
    different specific problems of their main thing."""
    if not a or not b:
        return None
    main_a, main_b = _THING_OF.get(a[0], a[0]), _THING_OF.get(b[0], b[0])
    shared = things_of(a) & things_of(b)
    if not shared:
        return ""
    if main_a == main_b:
        mine = {p for p in a if p != main_a and _THING_OF.get(p) == main_a}
        theirs = {p for p in b if p != main_b and _THING_OF.get(p) == main_b}
        if mine & theirs or not mine or not theirs:
            return "same"
        return ""  # something else is wrong with it
    return "related"


# the topic (SPEC slugs) of each thing; garbage is a yard's, unless it lies outside one (see `topic`)
_TOPIC: dict[str, str] = {
    "hot_water": "heating", "water": "water", "sewage": "water", "heating": "heating", "electricity": "electricity",
    "gas": "gas", "lift": "housing", "garbage": "yards_landscaping", "bus": "public_transport",
    "metro": "public_transport", "road": "roads", "street_lights": "roads", "traffic_light": "roads",
    "crossing": "roads", "playground": "yards_landscaping", "trees": "ecology", "smog": "ecology",
    "fare_card": "public_transport",
    "stray_dogs": "safety", "kindergarten": "schools_kindergartens", "school": "schools_kindergartens",
    "clinic": "health", "ambulance": "health", "bus_stop": "public_transport", "roof": "housing", "parking": "roads",
    "pole": "electricity", "payments": "social_payments",
    "land": "land_plots", "housing_queue": "housing", "building": "housing", "basement": "housing",
    "traffic_jam": "roads", "flooding": "roads", "crime": "safety", "snow": "roads", "construction": "land_plots",
    "barrier": "yards_landscaping", "river": "ecology", "demolition": "land_plots",
}
# garbage that is dumped outside any yard (a wasteland, a river bank, a railway) is the city's ecology
_DUMPED = ("свалк", "уиинди", "полигон", "пустыр", "бос жер", "озен", "река", "реки", "берег", "темир жол",
           "железн", "dump", "landfill", "river", "wasteland", "railway", "tozen", "ozen", "stikhiin", "стихиин")


def topic(problems: Sequence[str], folded: Sequence[str]) -> str | None:
    """The topic a question's problems speak for, when they name a specific one (a slug of `SLUGS`, or a
    thing that is its own topic: dogs, smog, trees, a playground); None when they do not."""
    if not problems:
        return None
    specific = [p for p in problems if p not in THINGS]
    main = _THING_OF.get(specific[0], specific[0]) if specific else problems[0]
    if not specific and main in _SETTINGS | {"garbage", "electricity", "water", "heating", "gas"}:
        return None  # a thing named with nothing said of it: the words decide
    if main == "garbage" and ("illegal_dump" in problems or (dumped(folded) and "garbage_not_collected"
                                                               not in problems)):
        return "ecology"
    if main == "street_lights" and _in_yard(folded):
        return "yards_landscaping"
    return _TOPIC.get(main)


_YARD = tuple({fold(w) for w in ("двор", "аула", "yard", "courtyard")})


def _in_yard(folded: Sequence[str]) -> bool:
    """Whether the text places its problem in a courtyard ("во дворе", "аулада", "in our yard")."""
    return any(word.startswith(_YARD) for word in folded)


def dumped(folded: Sequence[str]) -> bool:
    """Whether the text speaks of garbage dumped outside a yard (a dump, a wasteland, a river bank)."""
    joined = " ".join(folded)
    return any(cue in joined for cue in _DUMPED)
