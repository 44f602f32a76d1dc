"""The demo's stories, and the wire copy they are filed as.

Invented for the demo (no real events or agencies), written as a desk would
receive them: NITF from the house wire with headline, standfirst, byline,
dateline and keywords, and plain agency text. ``load_demo`` imports the copy
through the real importer and then places, pins and publishes it.
"""

from dataclasses import dataclass, field
from datetime import datetime
from xml.sax.saxutils import escape, quoteattr


@dataclass(frozen=True)
class DemoStory:
    key: str  # the house wire's story id, and the file name
    section: str
    headline: str
    standfirst: str
    byline: str
    dateline: str
    paragraphs: tuple[str, ...]
    tags: tuple[str, ...] = ()
    hours_ago: float = 1.0
    picture: str = ""  # a painter in ``articles.demo.pictures``
    alt: str = ""
    caption: str = ""
    state: str = "published"  # or review, scheduled, embargoed, killed
    extra: dict = field(default_factory=dict)


STORIES = [
    DemoStory(
        key="flood-defences-hold",
        section="world",
        headline="Flood defences hold as the river crests half a metre below its record",
        standfirst="Thousands spent the night on the embankments; by morning the water had begun to fall "
        "and the old town was dry.",
        byline="Hannah Weber",
        dateline="Passau",
        paragraphs=(
            "The river crested at 11.8 metres shortly after four o'clock on Sunday morning, half a metre below "
            "the record set eleven years ago, and the mobile walls raised along the old town's quays held.",
            "About 4,000 volunteers, soldiers and firefighters worked through the night filling sandbags and "
            "watching the seams of the barriers, which were bought after the last great flood and had never "
            "been tested at this height.",
            "\u201cWe were ready for worse,\u201d the city's crisis coordinator told reporters on the Inn bridge "
            "as the water began to fall. \u201cThe walls did what they were built to do.\u201d",
            "Downstream, two villages were evacuated as a precaution and about 300 people spent the night in "
            "school halls. Rail services between the city and the border remain suspended until the tracks "
            "have been inspected.",
            "Forecasters expect the level to drop below the warning mark by Tuesday, though more rain is "
            "expected in the mountains later in the week.",
        ),
        tags=("Floods", "Climate"),
        hours_ago=0.8,
        picture="flood",
        alt="A wide river, high and brown, running past a quay lined with a temporary flood wall at dawn.",
        caption="The river at first light on Sunday, held back by the mobile flood walls along the quay.",
    ),
    DemoStory(
        key="budget-all-night",
        section="politics",
        headline="Parliament passes the budget after an all-night session",
        standfirst="The government won the final vote by eleven after conceding a freeze on transit fares.",
        byline="Claire Tremblay",
        dateline="Ottawa",
        paragraphs=(
            "Parliament approved the government's spending plan at 6.40 a.m. on Friday after a sitting that "
            "ran for more than nineteen hours, ending weeks of uncertainty over whether the minority "
            "government could hold its majority together.",
            "The budget passed by 169 votes to 158. Two smaller parties voted with the government after it "
            "agreed overnight to freeze public transit fares for two years and to bring forward a review of "
            "rural broadband funding.",
            "The finance minister called the result \u201ca budget for people who get up early\u201d. The "
            "opposition said the last-minute concessions had not been costed and would be paid for by "
            "borrowing.",
            "The plan raises defence and housing spending and trims the deficit to 1.9 per cent of national "
            "output, according to the parliamentary budget office.",
        ),
        tags=("Budget", "Parliament"),
        hours_ago=2.5,
        picture="parliament",
        alt="The silhouette of a domed parliament building against an orange evening sky.",
        caption="Lights stayed on in the parliament building until dawn.",
    ),
    DemoStory(
        key="rates-on-hold",
        section="business",
        headline="Central bank holds rates as inflation cools to 2.4%",
        standfirst="Policymakers signalled a cut could come in spring if wage growth keeps slowing.",
        byline="Hannah Weber",
        dateline="Frankfurt",
        paragraphs=(
            "The central bank left its main interest rate unchanged at 3.25 per cent on Thursday, as expected, "
            "after figures showed inflation slowing for a fourth month in a row.",
            "Consumer prices rose 2.4 per cent in the year to October, down from 2.7 per cent in September, "
            "helped by cheaper fuel and a smaller rise in food prices.",
            "\u201cWe are not there yet, but we are getting closer,\u201d the bank's president told a news "
            "conference, adding that the council had discussed a cut but agreed to wait for new wage data.",
            "Markets now price in a quarter-point cut in March. The currency slipped 0.3 per cent against the "
            "dollar after the announcement.",
        ),
        tags=("Economy", "Interest rates"),
        hours_ago=4,
        picture="chart",
        alt="A line chart of inflation falling over twelve months towards a dashed target line.",
        caption="Inflation over the past year, against the bank's target.",
        extra={
            "correction": "An earlier version of this story gave September's inflation rate as 2.9 per cent. "
            "It was 2.7 per cent."
        },  # fmt: skip
    ),
    DemoStory(
        key="coral-recovery",
        section="science",
        headline="Reefs recovering faster than feared after last year's marine heatwave",
        standfirst="Surveys found new growth on two-thirds of the sites that bleached, though the most "
        "damaged reefs show little sign of returning.",
        byline="Dewi Lestari",
        dateline="Makassar",
        paragraphs=(
            "Coral reefs in the strait are growing back faster than scientists had expected after the marine "
            "heatwave that bleached large stretches of them last year, a survey published on Monday found.",
            "Divers from three universities revisited 84 sites and found new coral growth on 57 of them. On "
            "the healthiest reefs, live coral cover had returned to about 80 per cent of its level before "
            "the heatwave.",
            "\u201cThe reefs that were in good shape before are the ones bouncing back,\u201d said the marine "
            "biologist who led the survey. \u201cClean water and healthy fish populations make a real "
            "difference.\u201d",
            "Reefs near the busiest harbours, already stressed by run-off and overfishing, showed little "
            "recovery. The authors call for fishing limits around the most damaged sites.",
        ),
        tags=("Oceans", "Climate"),
        hours_ago=5.5,
        picture="reef",
        alt="Sunlight falling through blue water onto a coral reef.",
        caption="A reef in the strait during the survey.",
    ),
    DemoStory(
        key="cup-final-extra-time",
        section="sport",
        headline="Underdogs reach the cup final with an extra-time winner",
        standfirst="A header three minutes from the end of extra time sends the second-tier side to its first "
        "final in 40 years.",
        byline="Samuel Otieno",
        dateline="Nairobi",
        paragraphs=(
            "Lakeside Rovers, who play in the second tier, reached the cup final for the first time in 40 "
            "years on Saturday, beating the league leaders 2-1 after extra time in front of a sold-out crowd.",
            "The winner came in the 117th minute, when the substitute defender rose highest at a corner and "
            "headed in off the crossbar.",
            "The league leaders had gone ahead just before half-time and looked in control until a "
            "deflected shot brought Rovers level with eight minutes of normal time left.",
            "\u201cNobody gave us a chance. These players never stopped believing,\u201d Rovers' coach said. "
            "The final will be played next month.",
        ),
        tags=("Football",),
        hours_ago=7,
        picture="pitch",
        alt="A floodlit football pitch seen from the stands at night.",
        caption="The stadium was sold out for the semi-final.",
    ),
    DemoStory(
        key="port-strike-ends",
        section="business",
        headline="Port strike ends with a deal on night-shift pay",
        standfirst="Dock workers return on Monday after nine days; shippers warn the backlog will take weeks to clear.",
        byline="Hannah Weber",
        dateline="Rotterdam",
        paragraphs=(
            "Dock workers voted on Sunday to accept a new pay deal, ending a nine-day strike that left more "
            "than 60 container ships waiting at anchor outside the port.",
            "The agreement raises night-shift pay by 14 per cent over two years and limits the number of "
            "consecutive night shifts to four. Workers had asked for 18 per cent.",
            "The port authority said cranes would be working again from Monday morning. Shipping lines warned "
            "that clearing the backlog could take three weeks.",
        ),
        tags=("Labour", "Trade"),
        hours_ago=9,
        picture="cranes",
        alt="Container cranes at a port silhouetted against a pale morning sky.",
        caption="Container cranes stood idle during the strike.",
    ),
    DemoStory(
        key="lunar-lander-test",
        section="science",
        headline="Space agency sets a date for its lunar lander drop test",
        standfirst="The test will drop a full-size lander from a crane to prove its legs can absorb a "
        "landing on uneven ground.",
        byline="Kenji Sato",
        dateline="Tokyo",
        paragraphs=(
            "The national space agency will drop-test a full-size model of its lunar lander in January, it "
            "said on Friday, a step towards a landing near the moon's south pole planned for 2028.",
            "Engineers will release the lander from a crane onto a slope of crushed rock built to mimic the "
            "lunar surface, measuring how its four legs absorb the impact.",
            "The agency's last lander reached the moon in 2024 but toppled onto its nose after one engine "
            "failed during the descent.",
        ),
        tags=("Space",),
        hours_ago=11,
        picture="moon",
        alt="A crescent moon above a dark horizon.",
        caption="The landing site is near the moon's south pole.",
    ),
    DemoStory(
        key="night-buses",
        section="politics",
        headline="Mayor unveils a night-bus plan for the outer suburbs",
        standfirst="Twelve new routes would run every half hour after midnight from next autumn.",
        byline="Claire Tremblay",
        dateline="Montreal",
        paragraphs=(
            "The mayor on Wednesday proposed twelve night-bus routes linking the outer suburbs with the city "
            "centre, saying shift workers had been left without a way home.",
            "Buses would run every 30 minutes between midnight and five in the morning. The plan would cost "
            "about 21 million dollars a year, paid for partly by a levy on late-night venues.",
            "Council will vote on the plan in January.",
        ),
        tags=("Transport",),
        hours_ago=13,
    ),
    DemoStory(
        key="aid-convoy-valley",
        section="world",
        headline="Aid convoy reaches a valley cut off by landslides",
        standfirst="The first trucks in ten days brought food, tents and medicine for about 6,000 people.",
        byline="Kenji Sato",
        dateline="Kathmandu",
        paragraphs=(
            "A convoy of 14 trucks reached the valley on Tuesday, ten days after landslides swept away the "
            "only road in, carrying rice, tents, water filters and medicine.",
            "Army engineers cleared a single lane through the worst of the slides over the weekend. Officials "
            "said the road would stay closed to other traffic while crews shore up the slopes.",
            "At least 23 people died in the landslides and about 6,000 have been living in school buildings "
            "and temples since.",
        ),
        tags=("Humanitarian aid",),
        hours_ago=15,
        picture="mountains",
        alt="Steep green mountains under low cloud above a narrow valley.",
        caption="The valley's only road was swept away in ten places.",
    ),
    DemoStory(
        key="hip-surgery-waits",
        section="science",
        headline="Hospital trial cuts waiting times for hip surgery by a third",
        standfirst="Dedicated surgical days and next-day discharge freed up beds without adding staff.",
        byline="Dewi Lestari",
        dateline="Jakarta",
        paragraphs=(
            "A year-long trial at four hospitals cut the average wait for a hip replacement from 41 weeks to "
            "27, results published on Thursday showed.",
            "The hospitals set aside operating theatres for joint replacements on fixed days and sent most "
            "patients home the day after surgery, with physiotherapists visiting them there.",
            "Complication rates were no higher than before, the study found. The health ministry said it "
            "would extend the scheme to twenty more hospitals next year.",
        ),
        tags=("Health",),
        hours_ago=18,
    ),
    DemoStory(
        key="rail-freight-high",
        section="business",
        headline="Rail freight volumes hit a ten-year high",
        standfirst="Operators credit new terminals and dearer diesel for moving goods off the roads.",
        byline="Samuel Otieno",
        dateline="Mombasa",
        paragraphs=(
            "Freight carried by rail rose 11 per cent in the third quarter to its highest level in a decade, "
            "figures from the railway regulator showed on Monday.",
            "Container traffic from the port accounted for most of the increase after two inland terminals "
            "opened in the spring.",
            "Road hauliers said higher diesel prices had pushed some customers to rail for longer journeys.",
        ),
        tags=("Trade", "Transport"),
        hours_ago=20,
        picture="train",
        alt="A long freight train crossing open country at sunset.",
        caption="Most of the new traffic runs from the port to the inland terminals.",
    ),
    DemoStory(
        key="keeper-extension",
        section="sport",
        headline="Veteran goalkeeper signs a one-year extension",
        standfirst="At 38 he will start a 17th season with the club he joined as a teenager.",
        byline="Samuel Otieno",
        dateline="Nairobi",
        paragraphs=(
            "The club's captain and goalkeeper has signed a one-year contract extension that will keep him "
            "at the club until he is 39.",
            "He has made 512 appearances since his debut at 19 and kept 14 clean sheets this season.",
            "\u201cAs long as I can help the team, I want to be here,\u201d he said.",
        ),
        tags=("Football", "Transfers"),
        hours_ago=22,
    ),
    DemoStory(
        key="coalition-talks",
        section="politics",
        headline="Coalition talks resume after a weekend breakdown",
        standfirst="Negotiators return to the table with pensions still the main obstacle.",
        byline="Hannah Weber",
        dateline="Berlin",
        paragraphs=(
            "Negotiators from the three parties resumed coalition talks on Monday evening, two days after "
            "the smallest of them walked out over pension plans.",
            "Party leaders said they had agreed to set pensions aside for a working group and to settle the "
            "energy and housing chapters first.",
            "A government must be formed by the end of January or the president may call new elections.",
        ),
        tags=("Elections",),
        hours_ago=26,
    ),
    DemoStory(
        key="wind-auction",
        section="business",
        headline="Offshore wind auction draws record bids",
        standfirst="Seven consortiums bid for four sites, and the lowest price fell by a fifth.",
        byline="Hannah Weber",
        dateline="Copenhagen",
        paragraphs=(
            "Seven consortiums bid for the four offshore wind sites the government put up for auction, and "
            "the winning prices were a fifth lower than at the last round, the energy agency said on Tuesday.",
            "The four farms, due to be built by 2031, would supply about 2.4 gigawatts, enough for roughly "
            "two million homes.",
            "Developers had stayed away from the previous auction, saying the terms did not cover rising "
            "costs for turbines and cables.",
        ),
        tags=("Energy", "Climate"),
        hours_ago=24,
        picture="turbines",
        alt="A row of wind turbines standing in a grey sea under a wide sky.",
        caption="Turbines at an existing farm off the coast.",
    ),
    DemoStory(
        key="tennis-semi",
        section="sport",
        headline="Qualifier stuns the second seed to reach her first semi-final",
        standfirst="The 19-year-old saved three match points before winning in a final-set tie-break.",
        byline="Kenji Sato",
        dateline="Tokyo",
        paragraphs=(
            "A 19-year-old qualifier ranked 142nd in the world beat the second seed 4-6 7-6 7-6 on Thursday "
            "to reach the semi-finals, saving three match points along the way.",
            "She had never won a match at this level before the tournament began.",
            "“I just tried to stay in every rally,” she said. “I still can't believe it.”",
        ),
        tags=("Tennis",),
        hours_ago=27,
        picture="court",
        alt="A blue hard tennis court seen from above, its white lines sharp in the sun.",
        caption="The match lasted three hours and twelve minutes.",
    ),
    DemoStory(
        key="marathon-record",
        section="sport",
        headline="Course record falls as thousands run through the rain",
        standfirst="The men's winner took 41 seconds off a record that had stood for nine years.",
        byline="Samuel Otieno",
        dateline="Nairobi",
        paragraphs=(
            "The men's course record fell on Sunday as the winner crossed the line in 2:06:18, 41 seconds "
            "inside the mark set nine years ago, despite steady rain.",
            "More than 18,000 runners started the race, the most in its history.",
            "The women's race was won in a sprint finish by less than two seconds.",
        ),
        tags=("Athletics",),
        hours_ago=30,
    ),
    DemoStory(
        key="housing-starts",
        section="business",
        headline="Housing starts rise for a third month",
        standfirst="Builders began work on 8% more homes than a year earlier, led by apartments in the cities.",
        byline="Claire Tremblay",
        dateline="Ottawa",
        paragraphs=(
            "Builders started work on 8 per cent more homes in October than a year earlier, the third monthly "
            "rise in a row, figures from the housing agency showed on Wednesday.",
            "Apartments in the largest cities accounted for most of the increase, while starts of detached "
            "houses were flat.",
            "Economists said lower borrowing costs were starting to feed through to construction.",
        ),
        tags=("Housing", "Economy"),
        hours_ago=32,
    ),
    DemoStory(
        key="museum-reopens",
        section="world",
        headline="National museum reopens after a five-year restoration",
        standfirst="Visitors queued from dawn to see the restored galleries and the roof garden.",
        byline="Dewi Lestari",
        dateline="Jakarta",
        paragraphs=(
            "The national museum reopened on Saturday after five years of restoration that repaired damage "
            "from a fire and added climate control to its galleries.",
            "About 12,000 people visited on the first day, many queuing from before dawn.",
            "Entry will be free for the first month.",
        ),
        tags=("Culture",),
        hours_ago=34,
        picture="street",
        alt="A city street at dusk with lit windows and a queue outside a stone building.",
        caption="The queue outside the museum on the first evening.",
    ),
    DemoStory(
        key="bird-survey",
        section="science",
        headline="Volunteers count more wading birds for the first time in a decade",
        standfirst="Restored wetlands along the coast are drawing back species that had all but vanished.",
        byline="Hannah Weber",
        dateline="Hamburg",
        paragraphs=(
            "Volunteers counted 12 per cent more wading birds along the coast this autumn than last year, "
            "the first rise in a decade, a conservation group said on Monday.",
            "The largest gains were on stretches of salt marsh restored since 2019.",
            "The group said drainage of farmland further inland was still a threat.",
        ),
        tags=("Nature",),
        hours_ago=36,
    ),
    DemoStory(
        key="election-date",
        section="politics",
        headline="Regional election set for the last Sunday in May",
        standfirst="The date gives parties six months to campaign after the coalition collapsed.",
        byline="Claire Tremblay",
        dateline="Quebec City",
        paragraphs=(
            "The regional election will be held on the last Sunday in May, the premier announced on Thursday, "
            "a week after her coalition lost its majority.",
            "Polls show the two largest parties within three points of each other.",
        ),
        tags=("Elections",),
        hours_ago=38,
    ),
    DemoStory(
        key="ferry-service",
        section="world",
        headline="Ferry service resumes after the storm",
        standfirst="Islanders stranded for four days were the first to board.",
        byline="Kenji Sato",
        dateline="Naha",
        paragraphs=(
            "Ferries between the main island and the outer islands resumed on Wednesday after a storm that "
            "had halted sailings for four days.",
            "About 1,500 people had been unable to travel home, the operator said.",
        ),
        tags=("Transport",),
        hours_ago=40,
    ),
    # The desk's other states, so the dashboard has something to show.
    DemoStory(
        key="leadership-vote",
        section="politics",
        headline="Opposition leader to face a leadership vote in the spring",
        standfirst="Party members will choose between the leader and two challengers in March.",
        byline="Claire Tremblay",
        dateline="Ottawa",
        paragraphs=(
            "The opposition's national council voted on Sunday to hold a leadership contest in March, after "
            "two senior members said they would stand against the leader.",
            "The leader said she welcomed the contest and would run again.",
        ),
        state="review",
    ),
    DemoStory(
        key="commuters-monday",
        section="politics",
        headline="What changes for commuters from Monday",
        standfirst="New timetables, a fare freeze and two stations closed for works.",
        byline="Claire Tremblay",
        dateline="Montreal",
        paragraphs=(
            "New winter timetables take effect on Monday across the transit network, with more frequent "
            "trains on the two busiest lines in the morning peak.",
            "Two stations on the east line will close for three weeks of platform works; replacement buses "
            "will run every ten minutes.",
        ),
        hours_ago=-5,  # scheduled: five hours from now
        state="scheduled",
    ),
    DemoStory(
        key="heat-exam-scores",
        section="science",
        headline="Hot classrooms linked to lower exam scores, study finds",
        standfirst="Each day above 30C in the week before an exam lowered results, a ten-year study found.",
        byline="Dewi Lestari",
        dateline="Jakarta",
        paragraphs=(
            "Students who sat exams after a week of heat above 30 degrees scored measurably lower than those "
            "who did not, according to a study of ten years of national exam results.",
            "The effect was largest in schools without fans or air conditioning.",
        ),
        hours_ago=1,
        state="embargoed",
        extra={"embargo_hours": 6},
    ),
    DemoStory(
        key="minister-contracts",
        section="politics",
        headline="Minister resigns over contracts inquiry",
        standfirst="The transport minister steps down pending the outcome of an investigation.",
        byline="Claire Tremblay",
        dateline="Ottawa",
        paragraphs=(
            "The transport minister resigned on Friday, saying she would step aside while an inquiry "
            "examines how road maintenance contracts were awarded.",
            "She denied any wrongdoing.",
        ),
        hours_ago=3,
        state="killed",
    ),
]

#: Who the staff correspondents are (their bylines come with the copy).
STAFF = [
    ("Dewi Lestari", "Jakarta correspondent"),
    ("Samuel Otieno", "Africa editor"),
    ("Hannah Weber", "Europe correspondent"),
    ("Kenji Sato", "Asia-Pacific reporter"),
    ("Claire Tremblay", "Politics reporter"),
]

#: Agency copy with no headline, as some agencies send it: the dashboard lists it under "needs a headline".
HEADLINELESS_AGENCY_COPY = (
    "Jakarta (Antara) - Indonesia will open three new ferry routes between the eastern islands in January "
    "to cut travel times for students and traders, the transport ministry said on Monday.\n\n"
    "The routes will link ports in Maluku and North Maluku that are now served once a fortnight.\n\n"
    "The ministry said the ferries would sail twice a week and fares would be subsidised for the first year.\n"
)


def nitf(story: DemoStory, *, issued: datetime, version: int = 1, status: str = "", release=None) -> bytes:
    """The story as the house wire files it: NITF 3.6 with its id, version, time, keywords and standfirst."""
    paragraphs = "\n".join(f"      <p>{escape(text)}</p>" for text in story.paragraphs)
    keywords = "".join(f"<keyword key={quoteattr(tag)}/>" for tag in story.tags)
    management = f" management-status={quoteattr(status)}" if status else ""
    released = f'\n      <date.release norm="{release:%Y%m%dT%H%M%S%z}"/>' if release else ""
    return f"""<?xml version="1.0" encoding="utf-8"?>
<nitf version="-//IPTC//DTD NITF 3.6//EN" baselang="en">
  <head>
    <title>{escape(story.headline)}</title>
    <docdata{management}>
      <doc-id id-string="demo-{story.key}" regsrc="Newsroom wire"/>
      <du-key key="{story.key}" version="{version}"/>
      <date.issue norm="{issued:%Y%m%dT%H%M%S%z}"/>{released}
      <key-list>{keywords}</key-list>
    </docdata>
  </head>
  <body>
    <body.head>
      <hedline><hl1>{escape(story.headline)}</hl1><hl2>{escape(story.standfirst)}</hl2></hedline>
      <byline>By {escape(story.byline)}</byline>
      <dateline>{escape(story.dateline)}</dateline>
    </body.head>
    <body.content>
{paragraphs}
    </body.content>
  </body>
</nitf>
""".encode()
