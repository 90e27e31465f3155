using System.Globalization;
using System.Text;
using EmpowerBot.Outbox;
using EmpowerBot.Conversation;
using EmpowerBot.Storage;
using Microsoft.Extensions.Options;

namespace EmpowerBot.QuietTime;

/// <summary>
/// POST /api/signals: the contact-centre or helpdesk platform reports what people are doing, signed like the bot's own
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
        Prompter prompter, TimeProvider clock, ILoggerFactory logs, CancellationToken ct)
    {
        var log = logs.CreateLogger(typeof(SignalsEndpoint));
        var o = options.Value;
        if (o.SignalsSecret.Length == 0)
            return Problem(404, "Signals are off: no QuietTime:SignalsSecret is configured (set QuietTime__SignalsSecret in the environment).");
        var timestamp = http.Request.Headers[WebhookSignature.TimestampHeader].ToString();
        var signature = http.Request.Headers[WebhookSignature.SignatureHeader].ToString();
        if (timestamp.Length == 0 || signature.Length == 0)
            return Problem(401, $"Missing {WebhookSignature.TimestampHeader} or {WebhookSignature.SignatureHeader} header.");
        if (http.Request.ContentLength > MaxBodyBytes || await ReadLimitedAsync(http.Request.Body, ct) is not { } body)
            return Problem(413, $"The body is larger than {MaxBodyBytes / 1024} KB.");
        if (!WebhookSignature.Verify(o.SignalsSecret, timestamp, body, signature))
        {
            log.LogWarning("Signals request refused: invalid signature");
            return Problem(401, "Invalid signature.");
        }
        var unixSeconds = long.Parse(timestamp, CultureInfo.InvariantCulture);
        var now = clock.GetUtcNow();
        if (Math.Abs(now.ToUnixTimeSeconds() - unixSeconds) > Tolerance.TotalSeconds)
            return Problem(401, $"Stale timestamp: more than {Tolerance.TotalMinutes} minutes from the bot's clock. Sign each request when you send it.");
        if (!Hosting.MediaTypes.IsJson(http.Request.ContentType))
            return Problem(415, "Content-Type must be application/json.");

        var batch = SignalBatch.Parse(body, roster, o.MaxSignalBatch);
        if (batch.Events is not { } events)
        {
            log.LogWarning("Signals request refused with {Status}", batch.Status);
            return Problem(batch.Status, batch.Error!);
        }
        if (!await replay.TryRememberAsync(unixSeconds, signature, now, ct))
            return Problem(401, "This signed request was received before (replay). Sign each request afresh.");
        try
        {
            foreach (var person in events.GroupBy(e => (e.Person.TenantId, e.Person.Key)))
            {
                await prompter.RecordAsync(person.First().Person, person.Select(e => e.Kind).ToList(), ct);
            }
        }
        catch (Exception e) when (e is StorageUnavailableException or StorageConflictException)
        {
            log.LogError(e, "Quiet-time signals could not be stored");
            await replay.ForgetAsync(unixSeconds, signature, CancellationToken.None);
            return Problem(503, "The signals could not be stored just now. Send them again, signed afresh.");
        }
        log.LogInformation("Accepted {Count} quiet-time signals", events.Count);
        return Results.Json(new { accepted = events.Count });
    }

    private static IResult Problem(int status, string reason) => Results.Json(new { error = reason }, statusCode: status);

    /// <summary>The body as text, or null when it is larger than the limit (chunked bodies carry no Content-Length).</summary>
    private static async Task<string?> ReadLimitedAsync(Stream body, CancellationToken ct)
    {
        var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await body.ReadAsync(chunk, ct)) > 0)
        {
            if (buffer.Length + read > MaxBodyBytes) return null;
            buffer.Write(chunk, 0, read);
        }
        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }
}
