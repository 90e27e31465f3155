using System.Text.Json;
using System.Text.Json.Nodes;
using EmpowerBot.Channels.BotFramework;
using EmpowerBot.Tests.Fixtures;

namespace EmpowerBot.Tests.Channels.BotFramework;

public sealed class ActivityTests
{
    [Fact]
    public void Every_recorded_playground_activity_round_trips_without_losing_a_property()
    {
        foreach (var line in Activities.PlaygroundExchange().Where(l => l.TryGetProperty("activity", out _)))
        {
            var original = JsonNode.Parse(line.GetProperty("activity").GetRawText())!;

            var activity = JsonSerializer.Deserialize<Activity>(original.ToJsonString(), ActivityJson.Options)!;
            var again = JsonNode.Parse(JsonSerializer.Serialize(activity, ActivityJson.Options))!;

            Assert.True(JsonNode.DeepEquals(Normalize(original), Normalize(again)), $"{original}\n!=\n{again}");
        }
    }

    [Fact]
    public void Unknown_properties_and_channel_data_survive_a_round_trip()
    {
        const string json = """{"type":"message","futureField":{"a":[1,2]},"channelData":{"tenant":{"id":"t1"},"x":true},"from":{"id":"u","role":"user","newThing":1}}""";

        var activity = JsonSerializer.Deserialize<Activity>(json, ActivityJson.Options)!;
        var again = JsonNode.Parse(JsonSerializer.Serialize(activity, ActivityJson.Options))!;

        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(json), again), again.ToJsonString());
        Assert.Equal("t1", activity.TenantId);
    }

    [Fact]
    public void The_tenant_falls_back_to_the_conversation_tenant()
    {
        var activity = JsonSerializer.Deserialize<Activity>("""{"conversation":{"id":"c","tenantId":"t2"}}""", ActivityJson.Options)!;

        Assert.Equal("t2", activity.TenantId);
    }

    // Timestamps may be re-printed with a different number of fractional digits; compare them as instants.
    private static JsonNode Normalize(JsonNode node)
    {
        var copy = node.DeepClone();
        foreach (var key in new[] { "timestamp", "localTimestamp" })
        {
            if (copy[key] is JsonValue v && v.TryGetValue<string>(out var s)) copy[key] = DateTimeOffset.Parse(s).ToUniversalTime().ToString("O");
        }
        return copy;
    }
}
