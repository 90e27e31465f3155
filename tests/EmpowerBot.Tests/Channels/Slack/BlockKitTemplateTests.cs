using System.Text.Json;
using System.Text.Json.Nodes;
using EmpowerBot.Channels.Slack;
using EmpowerBot.Tests.Fixtures;

namespace EmpowerBot.Tests.Channels.Slack;

/// <summary>
/// Every template in cards/slack/ bound with its sample data is Block Kit that Slack accepts, checked here against Slack's
/// documented shapes and limits independently of the code that renders it.
/// </summary>
public sealed class BlockKitTemplateTests
{
    private static readonly string Cards = Path.Combine(RepoPaths.Root, "cards");
    private static readonly SlackTemplates Templates = new(Path.Combine(Cards, "slack"));

    private static readonly HashSet<string> BlockTypes = ["section", "divider", "header", "context", "actions", "input", "image", "rich_text"];
    private static readonly HashSet<string> TextTypes = ["plain_text", "mrkdwn"];

    public static TheoryData<string> SlackTemplateNames() => new(Directory.EnumerateFiles(Path.Combine(Cards, "slack"), "*.json").Select(Path.GetFileNameWithoutExtension).Order()!);

    /// <summary>A Slack template's sample: the Adaptive Card's (same view model), or cards/slack/samples/ for Slack-only surfaces.</summary>
    private static JsonElement Sample(string name)
    {
        var shared = Path.Combine(Cards, "samples", $"{name}.data.json");
        var own = Path.Combine(Cards, "slack", "samples", $"{name}.data.json");
        var path = File.Exists(shared) ? shared : own;
        Assert.True(File.Exists(path), $"cards/slack/{name}.json needs sample data in cards/samples/ or cards/slack/samples/");
        return JsonSerializer.Deserialize<JsonElement>(File.ReadAllText(path));
    }

    [Theory]
    [MemberData(nameof(SlackTemplateNames))]
    public void Every_slack_template_binds_its_sample_into_well_formed_block_kit(string name)
    {
        var surface = Templates.Bind(name, Sample(name));

        AssertWellFormed(surface, Templates.SurfaceOf(name)!.Value);
    }

    [Fact]
    public void Every_adaptive_card_has_a_slack_twin()
    {
        var missing = Directory.EnumerateFiles(Cards, "*.json").Select(Path.GetFileNameWithoutExtension)
            .Where(name => !File.Exists(Path.Combine(Cards, "slack", name + ".json"))).Order().ToList();

        Assert.True(missing.Count == 0,
            $"These cards have no Block Kit twin in cards/slack/, so Slack users get only their summary text: {string.Join(", ", missing)}");
    }

    [Theory]
    [InlineData(true, false, "Approved by Megan Bowen at 10:42 AM — $150.00 credited to ACME-1042", "Good")]
    [InlineData(false, true, "Declined by Megan Bowen at 10:42 AM", "Attention")]
    [InlineData(false, false, "Expired — nobody decided in time; nothing was credited", "Warning")]
    public void A_decided_approval_shows_its_outcome_to_everyone_without_buttons_or_comment_box(bool approved, bool hasComment, string outcome, string color)
    {
        var sample = JsonNode.Parse(Sample("approval-request").GetRawText())!.AsObject();
        sample["isPending"] = false;
        sample["canDecide"] = false;
        sample["outcome"] = outcome;
        sample["outcomeColor"] = color;
        sample["hasComment"] = hasComment;
        sample["comment"] = hasComment ? "Offer a replacement" : "";

        var card = Templates.Bind("approval-request", JsonSerializer.SerializeToElement(sample));

        AssertWellFormed(card, SlackSurface.Message);
        var json = card.ToJsonString();
        Assert.Contains(Texts(card), t => t.Contains($"*{outcome}*"));
        Assert.Contains(approved ? ":white_check_mark:" : hasComment ? ":x:" : ":hourglass:", json);
        Assert.DoesNotContain("approval.approve", json);
        Assert.DoesNotContain("\"input\"", json);
        Assert.Equal(hasComment, json.Contains("Offer a replacement"));
    }

    [Fact]
    public void An_empty_form_has_no_initial_values_and_a_prefilled_one_selects_its_reason()
    {
        var sample = JsonNode.Parse(Sample("credit-form").GetRawText())!.AsObject();
        sample["amount"] = "";
        sample["reason"] = "";
        sample["problems"] = new JsonArray();

        var empty = Templates.Bind("credit-form", JsonSerializer.SerializeToElement(sample)).ToJsonString();
        var prefilled = Templates.Bind("credit-form", Sample("credit-form")).ToJsonString();

        Assert.DoesNotContain("initial_value", empty);
        Assert.DoesNotContain("initial_option", empty);
        Assert.DoesNotContain("null", empty);
        Assert.Contains("\"initial_value\":\"25.00\"", prefilled);
        Assert.Contains("\"initial_option\":{\"text\":{\"type\":\"plain_text\",\"text\":\"Late delivery\"},\"value\":\"Late delivery\"}", prefilled);
        Assert.Equal("""{"command":"credit-form","op":"5f0c6a3e9b2d4c71a8e4f0d2b6c9a137"}""", (string?)Templates.Bind("credit-form", Sample("credit-form"))["private_metadata"]);
    }

    [Fact]
    public void A_welcome_for_someone_on_no_team_leaves_out_the_budget_sentence()
    {
        var card = Templates.Bind("welcome", new
        {
            FirstName = "Sam", TeamName = "", BudgetLine = "", HasBudget = false, IsManager = false,
            Examples = new[] { new { Say = "help", Does = "Everything I can do" } }, ManagerNote = "", Waiting = "", ReviewTitle = "",
        });

        AssertWellFormed(card, SlackSurface.Message);
        Assert.DoesNotContain("a month to solve", card.ToJsonString());
    }

    [Fact]
    public void A_long_history_stays_within_fifty_blocks()
    {
        var credits = Enumerable.Range(1, 70).Select(i => new { Reference = $"C-{i:0000}", Amount = "$1.00", Customer = "ACME-1", Reason = "Goodwill", When = "Nov 1", Status = "Applied" }).ToArray();

        var card = Templates.Bind("credit-history", new { PeriodLabel = "November 2026", Spent = "$70.00", Remaining = "$130.00", HasCredits = true, Credits = credits, EmptyMessage = "" });

        AssertWellFormed(card, SlackSurface.Message);
        Assert.Contains("Showing your 40 latest credits of 70.", card.ToJsonString());
    }

    /// <summary>Slack's documented shapes and limits for messages, modals and the App Home.</summary>
    internal static void AssertWellFormed(JsonObject surface, SlackSurface kind)
    {
        var blocks = Assert.IsType<JsonArray>(surface["blocks"]);
        Assert.NotEmpty(blocks);
        Assert.True(blocks.Count <= (kind == SlackSurface.Message ? 50 : 100), $"{blocks.Count} blocks");
        if (kind != SlackSurface.Message) Assert.Equal(kind == SlackSurface.Modal ? "modal" : "home", (string?)surface["type"]);
        if (kind == SlackSurface.Modal)
        {
            AssertText(surface["title"], 24, plainOnly: true);
            AssertText(surface["submit"], 24, plainOnly: true);
            AssertText(surface["close"], 24, plainOnly: true);
            Assert.True(((string?)surface["private_metadata"] ?? "").Length <= 3000);
        }
        AssertClean(surface, "$");
        var actionIds = new List<string>();
        var blockIds = new List<string>();
        foreach (var block in blocks.Select(b => Assert.IsType<JsonObject>(b)))
        {
            var type = (string?)block["type"] ?? "";
            Assert.True(BlockTypes.Contains(type), $"unknown block type '{type}' at {block.GetPath()}");
            if (block["block_id"] is { } id) blockIds.Add(Limit((string?)id, 255, "block_id"));
            switch (type)
            {
                case "header":
                    AssertText(block["text"], 150, plainOnly: true);
                    break;
                case "section":
                    Assert.True(block["text"] is not null || block["fields"] is JsonArray { Count: > 0 }, $"{block.GetPath()} needs text or fields");
                    if (block["text"] is { } text) AssertText(text, 3000);
                    var fields = block["fields"] as JsonArray ?? [];
                    Assert.True(fields.Count <= 10, $"{block.GetPath()} has {fields.Count} fields");
                    foreach (var field in fields) AssertText(field, 2000);
                    break;
                case "context":
                    var items = Assert.IsType<JsonArray>(block["elements"]);
                    Assert.InRange(items.Count, 1, 10);
                    foreach (var item in items) AssertText(item, 3000);
                    break;
                case "actions":
                    var elements = Assert.IsType<JsonArray>(block["elements"]);
                    Assert.InRange(elements.Count, 1, 25);
                    foreach (var button in elements.Select(e => Assert.IsType<JsonObject>(e)))
                    {
                        Assert.Equal("button", (string?)button["type"]);
                        AssertText(button["text"], 75, plainOnly: true);
                        actionIds.Add(Reply(block) + Limit((string?)button["action_id"], 255, "action_id"));
                        // A link button opens its URL (at most 3,000 characters) and needs no value.
                        if (button["url"] is { } url) Limit((string?)url, 3000, "button url");
                        else Limit((string?)button["value"], 2000, "button value");
                        if (button["style"] is { } style) Assert.Contains((string?)style, new[] { "primary", "danger" });
                    }
                    break;
                case "input":
                    AssertText(block["label"], 2000, plainOnly: true);
                    var element = Assert.IsType<JsonObject>(block["element"]);
                    actionIds.Add(Reply(block) + Limit((string?)element["action_id"], 255, "action_id"));
                    if (element["placeholder"] is { } placeholder) AssertText(placeholder, 150, plainOnly: true);
                    if ((string?)element["type"] == "static_select")
                    {
                        var options = Assert.IsType<JsonArray>(element["options"]);
                        Assert.InRange(options.Count, 1, 100);
                        foreach (var option in options)
                        {
                            AssertText(option!["text"], 75, plainOnly: true);
                            Limit((string?)option["value"], 150, "option value");
                        }
                        if (element["initial_option"] is { } initial) Assert.Contains(options, o => JsonNode.DeepEquals(o, initial));
                    }
                    else
                    {
                        Assert.Equal("plain_text_input", (string?)element["type"]);
                    }
                    break;
            }
        }
        Assert.Equal(actionIds.Distinct().Count(), actionIds.Count);
        Assert.Equal(blockIds.Distinct().Count(), blockIds.Count);
    }

    /// <summary>Every text of a surface, however deeply nested.</summary>
    internal static List<string> Texts(JsonNode? node) => node switch
    {
        JsonObject obj => obj.SelectMany(p => p.Key == "text" && p.Value is JsonValue v && v.GetValueKind() == JsonValueKind.String
            ? [v.GetValue<string>()] : Texts(p.Value)).ToList(),
        JsonArray array => array.SelectMany(Texts).ToList(),
        _ => [],
    };

    private static void AssertText(JsonNode? node, int max, bool plainOnly = false)
    {
        var text = Assert.IsType<JsonObject>(node);
        var type = (string?)text["type"] ?? "";
        Assert.True(plainOnly ? type == "plain_text" : TextTypes.Contains(type), $"{text.GetPath()} has text type '{type}'");
        var value = (string?)text["text"] ?? "";
        Assert.False(string.IsNullOrWhiteSpace(value), $"{text.GetPath()} is empty");
        Assert.True(value.Length <= max, $"{text.GetPath()} is {value.Length} characters; Slack allows {max}");
    }

    /// <summary>On the App Home each reply is a card of its own ("r{n}:" block ids): its action ids need only be unique within it.</summary>
    private static string Reply(JsonObject block) => BlockKitCards.SectionOf((string?)block["block_id"]) ?? "";

    private static string Limit(string? value, int max, string what)
    {
        Assert.False(string.IsNullOrEmpty(value), $"a {what} is missing");
        Assert.True(value.Length <= max, $"{what} '{value}' is longer than {max}");
        return value;
    }

    private static void AssertClean(JsonNode? node, string path)
    {
        switch (node)
        {
            case null:
                Assert.Fail($"{path} is null; Slack refuses nulls");
                break;
            case JsonObject obj:
                foreach (var (key, value) in obj)
                {
                    Assert.False(key.StartsWith('$'), $"{path}.{key} is a templating keyword left in the output");
                    AssertClean(value, $"{path}.{key}");
                }
                break;
            case JsonArray array:
                for (var i = 0; i < array.Count; i++) AssertClean(array[i], $"{path}[{i}]");
                break;
            case JsonValue value when value.GetValueKind() == JsonValueKind.String:
                Assert.False(value.GetValue<string>().Contains("${", StringComparison.Ordinal), $"{path} still holds a binding: {value}");
                break;
        }
    }
}
