using EmpowerBot.Hosting;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.WebUtilities;

namespace EmpowerBot.Channels.Slack;

/// <summary>
/// The Slack app's three request URLs. Each verifies the signature, reads just enough to know what is asked,
/// queues it for the background worker, journals it (<see cref="SlackJournal"/>) and answers at once: Slack gives an
/// app three seconds, and retries or shows an error after that. A retried or repeated request (same event id or
/// trigger id) is answered and skipped.
/// </summary>
public static class SlackEndpoints
{
    public const string RetryNumHeader = "X-Slack-Retry-Num";
    public const string RetryReasonHeader = "X-Slack-Retry-Reason";

    public static IEndpointRouteBuilder MapSlack(this IEndpointRouteBuilder app)
    {
        var slack = app.MapGroup("/api/slack");
        slack.MapPost("/events", EventsAsync);
        slack.MapPost("/commands", CommandsAsync);
        slack.MapPost("/interactions", InteractionsAsync);
        return app;
    }

    private static async Task<IResult> EventsAsync(HttpContext http, SlackRequestVerifier verifier, SlackInbox inbox, SlackJournal journal, ILogger<SlackInbox> log, CancellationToken ct)
    {
        var (body, refusal) = await verifier.ReadAsync(http.Request, ct);
        if (body is null) return refusal!;
        if (Parse(body) is not { ValueKind: JsonValueKind.Object } root) return HttpProblem.Json(400, "Malformed event JSON.");
        var type = Str(root, "type");
        if (type == "url_verification")
        {
            return Results.Text(Str(root, "challenge") ?? "", "text/plain");
        }
        if (type != "event_callback") return Results.Ok();
        var (inbound, ignored) = SlackPayloads.FromEvent(root);
        if (http.Request.Headers[RetryNumHeader] is { Count: > 0 } retry)
        {
            log.LogInformation("Slack retry {Retry} ({Reason}) of event {EventId}", retry.ToString(), http.Request.Headers[RetryReasonHeader].ToString(),
                Str(root, "event_id"));
        }
        if (inbound is null)
        {
            log.LogDebug("Slack event ignored: {Reason}", ignored);
            return Results.Ok();
        }
        return await AcceptAsync(inbox, journal, inbound, log, ct);
    }

    private static async Task<IResult> CommandsAsync(HttpContext http, SlackRequestVerifier verifier, SlackInbox inbox, SlackJournal journal, ILogger<SlackInbox> log, CancellationToken ct)
    {
        var (body, refusal) = await verifier.ReadAsync(http.Request, ct, harmless: IsSslCheck);
        if (body is null) return refusal!;
        var form = Form(body);
        // Slack checks the certificate of the command's URL with ssl_check=1 (and no command): a 200 is all it needs.
        if (form.GetValueOrDefault("ssl_check") == "1") return Results.Ok();
        if (SlackPayloads.FromCommand(form) is not { } inbound) return HttpProblem.Json(400, "A slash command needs team_id, user_id and trigger_id.");
        // The answer follows: in a channel for the person's eyes only (response_url), in a DM as a message; never for others.
        return await AcceptAsync(inbox, journal, inbound, log, ct);
    }

    private static async Task<IResult> InteractionsAsync(HttpContext http, SlackRequestVerifier verifier, SlackInbox inbox, SlackJournal journal,
        Conversation.FormChecks forms, ILogger<SlackInbox> log, CancellationToken ct)
    {
        var (body, refusal) = await verifier.ReadAsync(http.Request, ct);
        if (body is null) return refusal!;
        var form = QueryHelpers.ParseQuery(Encoding.UTF8.GetString(body));
        if (Parse(Encoding.UTF8.GetBytes(form.GetValueOrDefault("payload").ToString())) is not { ValueKind: JsonValueKind.Object } payload)
        {
            return HttpProblem.Json(400, "An interaction needs a JSON payload.");
        }
        var (inbound, ignored) = SlackPayloads.FromInteraction(payload);
        if (inbound is null)
        {
            log.LogDebug("Slack interaction ignored: {Reason}", ignored);
            return Results.Ok();
        }
        // A modal with a wrong input stays open, the typed values kept and the message under the input (block id = input id).
        if (inbound is { Kind: SlackInboundKind.Submission, Data: { } submitted } && forms.Check(inbound.TenantId, inbound.PersonKey, submitted) is { Count: > 0 } errors)
        {
            return Results.Json(new { response_action = "errors", errors });
        }
        // An empty 200 closes a submitted modal; the outcome arrives as a message.
        return await AcceptAsync(inbox, journal, inbound, log, ct);
    }

    private static async Task<IResult> AcceptAsync(SlackInbox inbox, SlackJournal journal, SlackInbound inbound, ILogger log, CancellationToken ct)
    {
        var stamped = journal.Stamp(inbound);
        switch (inbox.TryAccept(stamped))
        {
            case SlackInbox.Accepted.Duplicate:
                log.LogInformation("Slack {Kind} {ActivityId} was already accepted; skipped", inbound.Kind, inbound.ActivityId);
                return Results.Ok();
            case SlackInbox.Accepted.Full:
                log.LogWarning("Slack queue full: refused {Kind} {ActivityId} so that Slack retries it", inbound.Kind, inbound.ActivityId);
                return HttpProblem.Json(503, "Busy; please retry.");
        }
        try
        {
            // Durable before Slack hears 200: a stop or crash before the worker has run it no longer loses it.
            await journal.RecordAsync(stamped, ct);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Queued all the same: it runs unless this instance stops first, which is how it was without a journal.
            log.LogError(e, "Could not journal Slack {Kind} {ActivityId}; it runs from memory only", inbound.Kind, inbound.ActivityId);
        }
        return Results.Ok();
    }

    private static Dictionary<string, string> Form(byte[] body) =>
        QueryHelpers.ParseQuery(Encoding.UTF8.GetString(body)).ToDictionary(kv => kv.Key, kv => kv.Value.ToString());

    /// <summary>An ssl_check carries ssl_check=1 and the legacy token, nothing a command needs: answering it runs nothing.</summary>
    private static bool IsSslCheck(byte[] body) => Form(body) is var form && form.GetValueOrDefault("ssl_check") == "1" && !form.ContainsKey("user_id");

    private static string? Str(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    private static JsonElement? Parse(byte[] json)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            return document.RootElement.Clone();
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
