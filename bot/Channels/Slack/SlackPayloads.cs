using System.Text.Json;
using System.Text.Json.Nodes;

namespace EmpowerBot.Channels.Slack;

/// <summary>
/// Reads the three kinds of Slack request (Events API callbacks, slash commands, interactivity payloads) into a
/// <see cref="SlackInbound"/>, or null with the reason when the bot has nothing to do with it.
/// </summary>
public static class SlackPayloads
{
    /// <summary>An event_callback: direct messages, mentions and App Home visits; everything else is ignored.</summary>
    public static (SlackInbound? Inbound, string? Ignored) FromEvent(JsonElement root)
    {
        var e = root.TryGetProperty("event", out var ev) && ev.ValueKind == JsonValueKind.Object ? ev : default;
        var eventId = Str(root, "event_id");
        var teamId = Str(root, "team_id");
        var user = Str(e, "user");
        if (eventId is null || teamId is null || e.ValueKind != JsonValueKind.Object) return (null, "not an event callback with an event id and team");
        var type = Str(e, "type");
        var botUser = root.TryGetProperty("authorizations", out var auths) && auths.ValueKind == JsonValueKind.Array && auths.GetArrayLength() > 0
            ? Str(auths[0], "user_id") : null;
        // The bot's own messages, edits, deletions, joins and every other subtype are not someone talking to the bot.
        if (Str(e, "bot_id") is not null || Str(e, "subtype") is not null) return (null, $"{type} from a bot or with a subtype");
        if (user is null || user == botUser) return (null, $"{type} without a person");
        var tenant = SlackIds.Tenant(Str(root, "enterprise_id"), teamId);
        var inbound = new SlackInbound(SlackInboundKind.Message, tenant, teamId, user, null, eventId, Str(e, "channel"), BotUserId: botUser, Text: Str(e, "text"));
        return type switch
        {
            "message" when Str(e, "channel_type") == "im" => (inbound with { InDirectMessage = true }, null),
            "app_mention" => (inbound, null),
            "app_home_opened" => (inbound with { Kind = SlackInboundKind.HomeOpened, InDirectMessage = true, Tab = Str(e, "tab"), Text = null }, null),
            "member_joined_channel" => (inbound with { Kind = SlackInboundKind.MemberJoined, Text = null }, null),
            "member_left_channel" => (inbound with { Kind = SlackInboundKind.MemberLeft, Text = null }, null),
            _ => (null, $"event {type} is not handled"),
        };
    }

    /// <summary>"/empower budget": a message turn with the command's text; "/empower" alone asks for help.</summary>
    public static SlackInbound? FromCommand(IReadOnlyDictionary<string, string> form)
    {
        string? F(string key) => form.TryGetValue(key, out var v) && v.Length > 0 ? v : null;
        if (F("team_id") is not { } team || F("user_id") is not { } user || F("trigger_id") is not { } trigger) return null;
        var text = F("text") ?? "help";
        // In a channel the answer goes where it was asked, seen by the person alone (response_url); in a DM as a message.
        var inChannel = F("channel_name") is { } where && where != "directmessage";
        return new SlackInbound(SlackInboundKind.Message, SlackIds.Tenant(F("enterprise_id"), team), team, user, F("user_name"), trigger,
            F("channel_id"), InDirectMessage: false, Text: text, TriggerId: trigger, ResponseUrl: inChannel ? F("response_url") : null);
    }

    /// <summary>block_actions (a button) and view_submission (a modal); other interactions are ignored.</summary>
    public static (SlackInbound? Inbound, string? Ignored) FromInteraction(JsonElement p)
    {
        var type = Str(p, "type");
        var user = Obj(p, "user");
        var userId = Str(user, "id");
        var teamId = Str(Obj(p, "team"), "id") ?? Str(user, "team_id");
        if (userId is null || teamId is null) return (null, $"{type} without a user or team");
        var tenant = SlackIds.Tenant(Str(Obj(p, "enterprise"), "id"), teamId);
        var trigger = Str(p, "trigger_id");
        var name = Str(user, "name") ?? Str(user, "username");
        var view = Obj(p, "view");
        if (type == "view_submission")
        {
            var data = ReadJsonObject(Str(view, "private_metadata"));
            Merge(data, Obj(Obj(view, "state"), "values"), blockPrefix: null);
            var id = trigger ?? $"{Str(view, "id")}:{Str(view, "hash")}";
            return (new SlackInbound(SlackInboundKind.Submission, tenant, teamId, userId, name, id, Verb: Str(view, "callback_id"),
                Data: JsonSerializer.SerializeToElement(data), TriggerId: trigger), null);
        }
        if (type != "block_actions") return (null, $"interaction {type} is not handled");
        var action = p.TryGetProperty("actions", out var actions) && actions.ValueKind == JsonValueKind.Array && actions.GetArrayLength() > 0 ? actions[0] : default;
        if (Str(action, "type") != "button" || Str(action, "action_id") is not { } verb) return (null, "block action that is not a button");
        // A link button (an export's download) opened its URL in the browser: Slack still reports the click, nothing to do.
        if (Str(action, "url") is not null) return (null, "link button");
        var values = ReadJsonObject(Str(action, "value"));
        var container = Obj(p, "container");
        var fromHome = Str(container, "type") == "view" && Str(view, "type") == "home";
        var state = Obj(Obj(p, "state"), "values").ValueKind == JsonValueKind.Object ? Obj(Obj(p, "state"), "values") : Obj(Obj(view, "state"), "values");
        Merge(values, state, BlockKitCards.SectionOf(Str(action, "block_id")));
        var channel = Str(container, "channel_id") ?? Str(Obj(p, "channel"), "id");
        var ts = Str(container, "message_ts") ?? Str(Obj(p, "message"), "ts");
        return (new SlackInbound(SlackInboundKind.Action, tenant, teamId, userId, name, trigger ?? $"{channel}:{ts}:{verb}:{Str(p, "action_ts")}",
            fromHome ? null : channel, Verb: verb, Data: JsonSerializer.SerializeToElement(values),
            MessageTs: fromHome || Bool(container, "is_ephemeral") ? null : ts, FromHome: fromHome, TriggerId: trigger), null);
    }

    /// <summary>
    /// Adds the inputs of the surface (state.values: block id → action id → value) to the button's data, named by
    /// action id. The button's own data wins, so an input cannot pose as, say, the approval id.
    /// </summary>
    private static void Merge(JsonObject data, JsonElement stateValues, string? blockPrefix)
    {
        if (stateValues.ValueKind != JsonValueKind.Object) return;
        foreach (var block in stateValues.EnumerateObject())
        {
            if (blockPrefix is not null && !block.Name.StartsWith(blockPrefix, StringComparison.Ordinal)) continue;
            if (block.Value.ValueKind != JsonValueKind.Object) continue;
            foreach (var input in block.Value.EnumerateObject())
            {
                var value = Str(input.Value, "value") ?? Str(Obj(input.Value, "selected_option"), "value");
                if (!data.ContainsKey(input.Name)) data[input.Name] = value ?? "";
            }
        }
    }

    private static JsonObject ReadJsonObject(string? json)
    {
        if (string.IsNullOrWhiteSpace(json)) return [];
        try
        {
            return JsonNode.Parse(json) as JsonObject ?? [];
        }
        catch (JsonException)
        {
            return [];
        }
    }

    private static JsonElement Obj(JsonElement e, string name) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Object ? v : default;

    private static string? Str(JsonElement e, string name) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String && v.GetString() is { Length: > 0 } s ? s : null;

    private static bool Bool(JsonElement e, string name) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.True;
}
