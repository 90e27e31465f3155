using EmpowerBot.Hosting;
using Microsoft.Extensions.Options;

namespace EmpowerBot.Channels.Slack;

/// <summary>
/// The "Slack" section. Slack is on when both secrets are set (from the environment: Slack__SigningSecret,
/// Slack__BotToken); with neither, its endpoints answer 404 and nothing is sent to Slack.
/// </summary>
public sealed class SlackOptions : ISettings
{
    public const string Section = "Slack";

    /// <summary>Signs every request Slack sends (Basic Information → App Credentials). Environment only.</summary>
    public string SigningSecret { get; set; } = "";

    /// <summary>The bot user OAuth token, "xoxb-…" (OAuth &amp; Permissions). Environment only; never logged.</summary>
    public string BotToken { get; set; } = "";

    /// <summary>Base address of the Web API; a test points it at a fake on loopback.</summary>
    public string ApiBaseUrl { get; set; } = "https://slack.com/api/";

    /// <summary>Background lanes that run acknowledged requests; one person's requests always share a lane, in order.</summary>
    public int Workers { get; set; } = 4;

    /// <summary>Requests waiting per lane; when a lane is full the request is refused with 503 and Slack retries it.</summary>
    public int QueueCapacity { get; set; } = 500;

    /// <summary>How long a user's name and e-mail (users.info) are remembered.</summary>
    public TimeSpan ProfileCacheDuration { get; set; } = TimeSpan.FromHours(1);

    public bool Enabled => SigningSecret.Length > 0 && BotToken.Length > 0;

    /// <summary>The base address with a trailing slash, so relative method names resolve under it.</summary>
    public Uri ApiBase => new(ApiBaseUrl.EndsWith('/') ? ApiBaseUrl : ApiBaseUrl + "/");

    public IEnumerable<string> Problems()
    {
        if (SigningSecret.Length > 0 && BotToken.Length == 0) yield return "Slack:BotToken is required when Slack:SigningSecret is set.";
        if (BotToken.Length > 0 && SigningSecret.Length == 0) yield return "Slack:SigningSecret is required when Slack:BotToken is set.";
        if (!ISettings.IsWebAddress(ApiBaseUrl, httpOnlyToLoopback: true))
            yield return $"Slack:ApiBaseUrl '{ApiBaseUrl}' must be an absolute https URL (http only to localhost, for tests).";
        if (Workers is < 1 or > 64) yield return "Slack:Workers must be between 1 and 64.";
        if (QueueCapacity is < 1 or > 100_000) yield return "Slack:QueueCapacity must be between 1 and 100,000.";
        if (ProfileCacheDuration < TimeSpan.Zero) yield return "Slack:ProfileCacheDuration must not be negative.";
    }
}

[OptionsValidator]
internal sealed partial class SlackOptionsValidator : IValidateOptions<SlackOptions>;
