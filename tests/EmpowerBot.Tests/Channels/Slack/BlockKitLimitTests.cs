using System.Text.Json;
using System.Text.Json.Nodes;
using EmpowerBot.Channels.Slack;
using EmpowerBot.Conversation;
using EmpowerBot.Tests.Fixtures;
using Microsoft.Extensions.Logging.Abstractions;

namespace EmpowerBot.Tests.Channels.Slack;

/// <summary>
/// Every Slack template rendered with every text its people could make long (obstacles, names, notes, customers) still
/// fits Slack's limits: blocks per message and view, section, header, button and option texts, button values, ids.
/// </summary>
public sealed class BlockKitLimitTests
{
    private static readonly string Cards = Path.Combine(RepoPaths.Root, "cards");
    private static readonly SlackTemplates Templates = new(Path.Combine(Cards, "slack"));

    // Cyrillic (one character, but six when JSON-escaped), quotes and mrkdwn entities, far past every Slack limit.
    private static readonly string Long = string.Concat(Enumerable.Repeat("Длинный \"текст\" & <препятствие> ", 120));

    // Keys, not texts: identifiers and the values choices send back, which the bot itself makes short.
    private static readonly HashSet<string> Identifiers = new(StringComparer.OrdinalIgnoreCase) { "value", "op", "approvalId", "reference", "id", "outcomeColor", "status", "draftKind", "draftCategory", "currency", "stamp", "ledgerUrl", "approvalsUrl", "auditUrl" };

    public static TheoryData<string> Names() => new(Templates.Names.Order());

    private readonly SlackButtonValues values = new(TimeProvider.System);

    private BlockKitRenderer Renderer() => new(Templates, values, NullLogger<BlockKitRenderer>.Instance);

    private static JsonElement LongSample(string name)
    {
        var shared = Path.Combine(Cards, "samples", $"{name}.data.json");
        var path = File.Exists(shared) ? shared : Path.Combine(Cards, "slack", "samples", $"{name}.data.json");
        var sample = JsonNode.Parse(File.ReadAllText(path))!;
        Lengthen(sample, null, depth: 0);
        if (name == "credit-form")
        {
            // A reason is a choice's value (at most 150 characters, the team's own words): longer than an option's text.
            var reason = string.Concat(Enumerable.Repeat("Доставка опоздала ", 8));
            sample["reason"] = reason;
            sample["reasons"] = new JsonArray(new JsonObject { ["title"] = reason, ["value"] = reason });
        }
        if (name == "policy-edit")
        {
            // Each reason's cap input has its own id, as the bot numbers them: the copies made above get theirs.
            var caps = sample["caps"]!.AsArray();
            for (var i = 0; i < caps.Count; i++) caps[i]!["id"] = $"cap{i}";
        }
        return JsonSerializer.SerializeToElement(sample);
    }

    private static void Lengthen(JsonNode? node, string? key, int depth)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var (k, v) in obj.ToList())
                {
                    if (v is JsonValue s && s.GetValueKind() == JsonValueKind.String && !Identifiers.Contains(k)) obj[k] = Long;
                    else Lengthen(v, k, depth);
                }
                break;
            case JsonArray array:
                // Many of each listed thing too: more rows than a message holds (50 blocks), and lists inside them longer
                // than a block holds (10 fields or elements). Not 60 of 60: that binds hundreds of megabytes for nothing.
                var first = array.FirstOrDefault();
                var many = depth == 0 ? 60 : 12;
                if (first is JsonObject) for (var i = array.Count; i < many; i++) array.Add(first.DeepClone());
                foreach (var item in array) Lengthen(item, key, depth + 1);
                break;
        }
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void Every_template_with_long_texts_fits_slack_s_limits(string name)
    {
        var reply = Reply.Show(name, LongSample(name), Long);
        var renderer = Renderer();

        var message = renderer.Message(reply);
        BlockKitTemplateTests.AssertWellFormed(new JsonObject { ["blocks"] = message.Blocks!.DeepClone() }, SlackSurface.Message);
        switch (Templates.SurfaceOf(name))
        {
            case SlackSurface.Modal:
                BlockKitTemplateTests.AssertWellFormed(renderer.Modal(reply.Card!)!, SlackSurface.Modal);
                break;
            case SlackSurface.Home:
                BlockKitTemplateTests.AssertWellFormed(renderer.Home(LongSample(name), [reply, reply, reply]), SlackSurface.Home);
                break;
        }
    }

    [Fact]
    public void A_cyrillic_obstacle_costs_a_button_value_one_character_a_letter()
    {
        var draft = new string('Я', 392);
        var sample = JsonNode.Parse(File.ReadAllText(Path.Combine(Cards, "samples", "obstacle-similar.data.json")))!.AsObject();
        sample["draftText"] = draft;

        var message = Renderer().Message(Reply.Show("obstacle-similar", JsonSerializer.SerializeToElement(sample), "similar"));

        var value = LogButtonValue(message);
        Assert.Contains("\"text\":\"" + draft + "\"", value);
        Assert.True(value.Length < 500, $"{value.Length} characters");
    }

    private static string LogButtonValue(SlackMessage message) =>
        (string)message.Blocks!.OfType<JsonObject>().Where(b => (string?)b["type"] == "actions")
            .SelectMany(b => b["elements"]!.AsArray()).OfType<JsonObject>().Single(e => (string?)e["action_id"] == "obstacle.log")["value"]!;

    [Fact]
    public void A_long_obstacle_to_log_separately_travels_as_an_id_and_comes_back_whole_with_the_inputs()
    {
        var draft = string.Concat(Enumerable.Repeat("\"\\", 500)); // 1,000 characters, each doubled when escaped
        var sample = JsonNode.Parse(File.ReadAllText(Path.Combine(Cards, "samples", "obstacle-similar.data.json")))!.AsObject();
        sample["draftText"] = draft;

        var message = Renderer().Message(Reply.Show("obstacle-similar", JsonSerializer.SerializeToElement(sample), "similar"));

        var value = LogButtonValue(message);
        Assert.True(value.Length <= 2000, $"{value.Length} characters");
        Assert.DoesNotContain("\\\\", value);
        var clicked = JsonSerializer.SerializeToElement(new JsonObject { ["kept"] = JsonNode.Parse(value)!["kept"]!.DeepClone(), ["note"] = "typed" });
        var back = values.Resolve(clicked)!.Value;
        Assert.Equal(draft, back.GetProperty("text").GetString());
        Assert.Equal("typed", back.GetProperty("note").GetString());
        Assert.Null(new SlackButtonValues(TimeProvider.System).Resolve(clicked)); // another instance, or after a restart: gone
    }
}
