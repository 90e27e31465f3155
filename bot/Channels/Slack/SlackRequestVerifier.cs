using EmpowerBot.Hosting;
using Microsoft.Extensions.Options;

namespace EmpowerBot.Channels.Slack;

/// <summary>
/// The gate of every Slack endpoint: Slack must be configured (else 404), the body small enough (else 413), and the
/// request signed with our signing secret within five minutes (else 401). Only a request that passes is read further.
/// </summary>
public sealed class SlackRequestVerifier(IOptions<SlackOptions> options, TimeProvider clock, ILogger<SlackRequestVerifier> log)
{
    public const int MaxBodyBytes = 1024 * 1024;

    public const string NotConfigured = "Slack is not configured on this bot: set Slack__SigningSecret and Slack__BotToken (see README, \"Slack\").";

    /// <param name="harmless">A body that may pass unsigned because answering it does nothing (Slack's ssl_check).</param>
    public async Task<(byte[]? Body, IResult? Refusal)> ReadAsync(HttpRequest request, CancellationToken ct, Func<byte[], bool>? harmless = null)
    {
        var o = options.Value;
        if (!o.Enabled) return (null, HttpProblem.Json(404, NotConfigured));
        if (await LimitedBody.ReadAsync(request, MaxBodyBytes, ct) is not { } read) return (null, HttpProblem.Json(413, "Request larger than 1 MB."));
        var body = read.ToArray();
        var failure = SlackSignature.Check(o.SigningSecret, request.Headers[SlackSignature.TimestampHeader], request.Headers[SlackSignature.SignatureHeader],
            body, clock.GetUtcNow());
        if (failure is not null && harmless?.Invoke(body) == true)
        {
            log.LogInformation("Answered an unsigned Slack check to {Path} ({Reason}); it does nothing", request.Path, failure);
            return (body, null);
        }
        if (failure is not null)
        {
            log.LogWarning("Rejected a Slack request to {Path}: {Reason}", request.Path, failure);
            return (null, HttpProblem.Json(401, "Unauthorized."));
        }
        return (body, null);
    }

}
