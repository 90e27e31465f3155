using EmpowerBot.Hosting;
using Microsoft.Extensions.Options;

namespace EmpowerBot.Insights;

/// <summary>The "Export" section: where download links point and how long they work.</summary>
public sealed class ExportOptions : ISettings
{
    /// <summary>
    /// The bot's public address ("https://empowerbot-yourcompany.azurewebsites.net"): download links start with it.
    /// Empty: the address the channel reached the bot at, when the turn came in over HTTP.
    /// </summary>
    public string PublicUrl { get; set; } = "";

    /// <summary>How long a download link works.</summary>
    public TimeSpan LinkLifetime { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>
    /// HMAC key of the links (environment only). Empty: a random key the first instance stores, shared by all; set one
    /// to make every outstanding link stop working by changing it.
    /// </summary>
    public string SigningKey { get; set; } = "";

    public IEnumerable<string> Problems()
    {
        if (PublicUrl.Length > 0 && !ISettings.IsWebAddress(PublicUrl, httpOnlyToLoopback: false))
            yield return $"Export:PublicUrl '{PublicUrl}' must be the bot's absolute address, like https://empowerbot-yourcompany.azurewebsites.net.";
        if (LinkLifetime < TimeSpan.FromMinutes(1) || LinkLifetime > TimeSpan.FromDays(1))
            yield return "Export:LinkLifetime must be between 00:01:00 and 1.00:00:00.";
    }
}

[OptionsValidator]
internal sealed partial class ExportOptionsValidator : IValidateOptions<ExportOptions>;
