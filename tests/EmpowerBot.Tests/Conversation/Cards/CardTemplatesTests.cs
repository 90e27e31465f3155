using System.Text.Json;
using System.Text.Json.Nodes;
using EmpowerBot.Conversation.Cards;

namespace EmpowerBot.Tests.Conversation.Cards;

public sealed class CardTemplatesTests
{
    private static readonly string CardsDirectory = Path.Combine(RepositoryRoot(), "cards");
    private static readonly CardTemplates Templates = new(CardsDirectory);

    private static readonly HashSet<string> ElementTypes =
    [
        "TextBlock", "RichTextBlock", "TextRun", "Image", "ImageSet", "Media", "Container", "ColumnSet", "Column", "FactSet",
        "ActionSet", "Table", "TableRow", "TableCell",
        "Input.Text", "Input.Number", "Input.Date", "Input.Time", "Input.Toggle", "Input.ChoiceSet",
    ];

    private static readonly HashSet<string> ChartTypes = ["Chart.Line", "Chart.VerticalBar", "Chart.Donut", "Chart.Pie", "Chart.HorizontalBar", "Chart.Gauge"];

    private static readonly HashSet<string> ActionTypes = ["Action.Submit", "Action.Execute", "Action.OpenUrl", "Action.ShowCard", "Action.ToggleVisibility"];

    public static TheoryData<string> TemplateNames() => new(
        Directory.EnumerateFiles(CardsDirectory, "*.json").Select(Path.GetFileNameWithoutExtension).Order().ToArray()!);

    [Theory]
    [MemberData(nameof(TemplateNames))]
    public void Every_template_binds_its_sample_into_a_well_formed_adaptive_card(string name)
    {
        var sample = Path.Combine(CardsDirectory, "samples", $"{name}.data.json");
        Assert.True(File.Exists(sample), $"cards/{name}.json needs sample data in cards/samples/{name}.data.json");

        var card = Templates.Bind(name, JsonSerializer.Deserialize<JsonElement>(File.ReadAllText(sample)));

        Assert.Equal("AdaptiveCard", (string?)card["type"]);
        Assert.Equal("1.5", (string?)card["version"]);
        Assert.Equal("http://adaptivecards.io/schemas/adaptive-card.json", (string?)card["$schema"]);
        Assert.NotEmpty(card["body"]!.AsArray());
        AssertNoTemplateLeftovers(card, "$");

        var inputIds = new List<string>();
        foreach (var element in Elements(card["body"]!.AsArray()))
        {
            var type = (string?)element["type"];
            // Teams draws Adaptive Cards charts; a host that does not gets the element's fallback, which every chart must name.
            if (type is not null && ChartTypes.Contains(type))
            {
                Assert.True(element["fallback"] is not null, $"{element.GetPath()}: a {type} needs a fallback for hosts without charts");
                continue;
            }
            Assert.True(type is not null && ElementTypes.Contains(type), $"unknown element type '{type}' in {element.GetPath()}");
            if (type.StartsWith("Input.", StringComparison.Ordinal))
            {
                inputIds.Add((string?)element["id"] ?? throw new Xunit.Sdk.XunitException($"{element.GetPath()} has no id"));
            }
            if (type == "FactSet")
            {
                Assert.All(element["facts"]!.AsArray(), fact => Assert.True(fact?["title"] is JsonValue && fact["value"] is JsonValue, $"{fact?.GetPath()} needs a title and a value"));
                Assert.All(element["facts"]!.AsArray(), fact => AssertShownText(fact!["value"], fact.GetPath()));
            }
            if (type is "TextBlock" or "TextRun")
            {
                AssertShownText(element["text"], element.GetPath());
            }
        }
        Assert.Equal(inputIds.Distinct().Count(), inputIds.Count);

        var actions = Actions(card).ToArray();
        Assert.NotEmpty(actions);
        Assert.All(actions, action =>
        {
            Assert.Contains((string?)action["type"] ?? "", ActionTypes);
            Assert.False(string.IsNullOrWhiteSpace((string?)action["title"]), $"{action.GetPath()} needs a title");
            if ((string?)action["type"] is "Action.Submit" or "Action.Execute")
            {
                Assert.IsType<JsonObject>(action["data"]);
            }
        });
    }

    /// <summary>What a renderer shows must be a non-empty string: a bound number or bool renders as nothing at all.</summary>
    private static void AssertShownText(JsonNode? text, string path)
    {
        Assert.True(text is JsonValue value && value.GetValueKind() == JsonValueKind.String, $"{path} shows {text?.ToJsonString() ?? "nothing"}, not a string");
        Assert.False(string.IsNullOrWhiteSpace((string?)text), $"{path} shows an empty text");
    }

    [Fact]
    public void Every_sample_belongs_to_a_template()
    {
        foreach (var sample in Directory.EnumerateFiles(Path.Combine(CardsDirectory, "samples"), "*.data.json"))
        {
            var name = Path.GetFileName(sample)[..^".data.json".Length];
            Assert.Contains(name, Templates.Names);
        }
    }

    [Fact]
    public void Budget_card_shows_remaining_big_and_at_most_five_recent_credits()
    {
        var credits = Enumerable.Range(1, 7)
            .Select(i => new CreditLine($"C-{i}", "$25.00", "ACME-1042", "Late delivery", "Nov 21", "Applied"))
            .ToArray();

        var card = Templates.Bind("budget", SampleBudget() with { Credits = credits });

        var remaining = Elements(card["body"]!.AsArray()).Single(e => (string?)e["text"] == "$150.00");
        Assert.Equal("ExtraLarge", (string?)remaining["size"]);
        var texts = Texts(card);
        Assert.Equal(["ACME-1042", "ACME-1042", "ACME-1042", "ACME-1042", "ACME-1042"], texts.Where(t => t == "ACME-1042"));
        Assert.Contains("Late delivery · C-5", texts);
        Assert.DoesNotContain("Late delivery · C-6", texts);
        Assert.Contains("8 days left", texts);
        Assert.DoesNotContain(SampleBudget().EmptyMessage, texts);
    }

    [Fact]
    public void Budget_card_without_credits_shows_the_reassuring_message_instead_of_a_list()
    {
        var card = Templates.Bind("budget", SampleBudget() with { HasCredits = false, Credits = [], DaysLeft = 1 });

        var texts = Texts(card);
        Assert.Contains(SampleBudget().EmptyMessage, texts);
        Assert.DoesNotContain("Recent credits", texts);
        Assert.Contains("1 day left", texts);
        Assert.Equal(["Give a credit", "Help"], Actions(card).Select(a => (string?)a["title"]));
        Assert.Equal(["credit", "help"], Actions(card).Select(a => (string?)a["data"]!["command"]));
    }

    [Fact]
    public void Binding_a_view_model_record_gives_the_same_card_as_its_camel_case_sample()
    {
        var sample = JsonSerializer.Deserialize<JsonElement>(File.ReadAllText(Path.Combine(CardsDirectory, "samples", "budget.data.json")));

        Assert.True(JsonNode.DeepEquals(Templates.Bind("budget", sample), Templates.Bind("budget", SampleBudget())));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Welcome_card_shows_the_manager_note_only_to_managers(bool isManager)
    {
        var note = "You also answer approval requests from your team.";
        var card = Templates.Bind("welcome", new
        {
            FirstName = "Alex", TeamName = "Frontline West", BudgetLine = "You have $200.00 a month to solve customer problems on the spot.",
            HasBudget = true, IsManager = isManager, Examples = new[] { new { Say = "budget", Does = "See what you have left this month" } },
            ManagerNote = note, Waiting = "", ReviewTitle = "",
        });

        Assert.Equal(isManager, Texts(card).Contains(note));
        Assert.Contains("Hi Alex, welcome to EmpowerBot", Texts(card));
        Assert.Contains(Texts(card), t => t.Contains("$200.00 a month", StringComparison.Ordinal));
    }

    [Fact]
    public void An_unknown_template_name_is_refused_with_the_known_names()
    {
        var error = Assert.Throws<CardTemplateException>(() => Templates.Bind("budgte", new { }));

        Assert.Contains("budgte", error.Message);
        Assert.Contains("budget", error.Message);
        Assert.Contains("welcome", error.Message);
    }

    [Fact]
    public void A_broken_template_fails_at_load_naming_its_file()
    {
        var folder = Directory.CreateTempSubdirectory("cards-");
        try
        {
            File.WriteAllText(Path.Combine(folder.FullName, "fine.json"), """{"type":"AdaptiveCard","body":[]}""");
            File.WriteAllText(Path.Combine(folder.FullName, "broken.json"), """{"type":"AdaptiveCard","body":[{"type":"TextBlock","text":"${sum(a)}"}]}""");

            var error = Assert.Throws<CardTemplateException>(() => new CardTemplates(folder.FullName));

            Assert.Contains("broken.json", error.Message);
            Assert.Contains("sum", error.Message);
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    private sealed record CreditLine(string Reference, string Amount, string Customer, string Reason, string When, string Status);

    private sealed record BudgetCard(
        string PersonName, string TeamName, string Remaining, string Spent, string Budget, string ExceptionsApproved,
        int PercentUsed, string PeriodLabel, string PeriodEnds, int DaysLeft, bool HasCredits,
        IReadOnlyList<CreditLine> Credits, string EmptyMessage);

    private static BudgetCard SampleBudget() => new(
        "Alex Wilber", "Frontline West", "$150.00", "$50.00", "$200.00", "$0.00", 25, "November 2026", "Mon, Nov 30, 2026", 8, true,
        [new("C-7F3K", "$25.00", "ACME-1042", "Late delivery", "Nov 21", "Applied")],
        "No credits yet this month — your full budget is ready when a customer needs it.");

    private static void AssertNoTemplateLeftovers(JsonNode? node, string path)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var (key, value) in obj)
                {
                    Assert.False(key is "$data" or "$when", $"{path}.{key} is a templating keyword left in the card");
                    AssertNoTemplateLeftovers(value, $"{path}.{key}");
                }
                break;
            case JsonArray array:
                for (var i = 0; i < array.Count; i++) AssertNoTemplateLeftovers(array[i], $"{path}[{i}]");
                break;
            case JsonValue value when value.GetValueKind() == JsonValueKind.String:
                Assert.False(value.GetValue<string>().Contains("${", StringComparison.Ordinal), $"{path} still holds a binding: {value}");
                break;
        }
    }

    /// <summary>Every card element, however deeply nested in containers, columns and tables.</summary>
    private static IEnumerable<JsonObject> Elements(JsonArray items)
    {
        foreach (var item in items)
        {
            var element = Assert.IsType<JsonObject>(item);
            yield return element;
            foreach (var children in new[] { "items", "columns", "rows", "cells" })
            {
                if (element[children] is JsonArray nested && !(element["type"]?.GetValue<string>() == "Table" && children == "columns"))
                {
                    foreach (var child in Elements(nested)) yield return child;
                }
            }
        }
    }

    private static IEnumerable<JsonObject> Actions(JsonObject card) =>
        (card["actions"]?.AsArray() ?? [])
            .Concat(Elements(card["body"]!.AsArray()).SelectMany(e => (e["actions"] as JsonArray ?? []).Concat(e["selectAction"] is { } s ? [s] : [])))
            .Select(a => Assert.IsType<JsonObject>(a));

    private static List<string> Texts(JsonObject card) =>
        Elements(card["body"]!.AsArray()).Select(e => (string?)e["text"]).OfType<string>().ToList();

    private static string RepositoryRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "EmpowerBot.sln"))) return folder.FullName;
        }
        throw new InvalidOperationException($"No EmpowerBot.sln above {AppContext.BaseDirectory}.");
    }
}
