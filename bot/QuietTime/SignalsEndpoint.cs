using System.Globalization;
using System.Text;
using EmpowerBot.Outbox;
using EmpowerBot.Conversation;
using EmpowerBot.Hosting;
using EmpowerBot.Insights;
using EmpowerBot.Storage;
using Microsoft.Extensions.Options;

namespace EmpowerBot.QuietTime;

/// <summary>
/// POST /api/signals: the contact-centre or helpdesk platform reports what people are doing (and the survey tool what
/// customers said of us: <see cref="SignalBatch.CustomerFeedback"/>), signed like the bot's own
/// webhooks (scheme v1 of <see cref="WebhookSignature"/>, key QuietTime:SignalsSecret). 401 for a missing, wrong, stale
/// or replayed signature; 400 with the reason for a malformed batch; 422 naming an unknown person; nothing is applied
/// unless the whole batch is valid. 404 while no secret is configured.
/// </summary>
public static class SignalsEndpoint
{
    public const int MaxBodyBytes = 64 * 1024;
    public static readonly TimeSpan Tolerance = TimeSpan.FromMinutes(5);

    public static IEndpointRouteBuilder MapQuietTime(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/signals", HandleAsync);
        return app;
    }

    private static async Task<IResult> HandleAsync(HttpContext http, IOptions<QuietTimeOptions> options, Roster roster, SignalReplay replay,
        Prompter prompter, FeedbackIntake feedback, TimeProvider clock, ILoggerFactory logs, CancellationToken ct)
    {
        var log = logs.CreateLogger(typeof(SignalsEndpoint));
        var o = options.Value;
        if (o.SignalsSecret.Length == 0)
            return HttpProblem.Json(404, "Signals are off: no QuietTime:SignalsSecret is configured (set QuietTime__SignalsSecret in the environment).");
        var timestamp = http.Request.Headers[WebhookSignature.TimestampHeader].ToString();
        var signature = http.Request.Headers[WebhookSignature.SignatureHeader].ToString();
        if (timestamp.Length == 0 || signature.Length == 0)
            return HttpProblem.Json(401, $"Missing {WebhookSignature.TimestampHeader} or {WebhookSignature.SignatureHeader} header.");
        if (await LimitedBody.ReadAsync(http.Request, MaxBodyBytes, ct) is not { } bytes)
            return HttpProblem.Json(413, $"The body is larger than {MaxBodyBytes / 1024} KB.");
        var body = Encoding.UTF8.GetString(bytes.Span);
        var now = clock.GetUtcNow();
        switch (WebhookSignature.Check(o.SignalsSecret, timestamp, body, signature, now, Tolerance))
        {
            case SignatureCheck.Invalid:
                log.LogWarning("Signals request refused: invalid signature");
                return HttpProblem.Json(401, "Invalid signature.");
            case SignatureCheck.Stale:
                return HttpProblem.Json(401, $"Stale timestamp: more than {Tolerance.TotalMinutes} minutes from the bot's clock. Sign each request when you send it.");
        }
        var unixSeconds = long.Parse(timestamp, CultureInfo.InvariantCulture);
        if (!MediaTypes.IsJson(http.Request.ContentType))
            return HttpProblem.Json(415, "Content-Type must be application/json.");

        var batch = SignalBatch.Parse(body, roster, o.MaxSignalBatch, now);
        if (batch.Events is not { } events)
        {
            log.LogWarning("Signals request refused with {Status}", batch.Status);
            return HttpProblem.Json(batch.Status, batch.Error!);
        }
        if (!await replay.TryRememberAsync(unixSeconds, signature, now, ct))
            return HttpProblem.Json(401, "This signed request was received before (replay). Sign each request afresh.");
        try
        {
            foreach (var person in events.GroupBy(e => (e.Person.TenantId, e.Person.Key)))
            {
                await prompter.RecordAsync(person.First().Person, person.Select(e => e.Kind).ToList(), ct);
            }
            foreach (var rating in batch.Feedback ?? []) await feedback.RecordAsync(rating, ct);
        }
        catch (Exception e) when (e is StorageUnavailableException or StorageConflictException)
        {
            log.LogError(e, "Signals could not be stored");
            await replay.ForgetAsync(unixSeconds, signature, CancellationToken.None);
            return HttpProblem.Json(503, "The signals could not be stored just now. Send them again, signed afresh.");
        }
        var ratings = batch.Feedback?.Count ?? 0;
        log.LogInformation("Accepted {Count} quiet-time signals and {Ratings} customer ratings", events.Count, ratings);
        return Results.Json(new { accepted = events.Count + ratings });
    }
}
