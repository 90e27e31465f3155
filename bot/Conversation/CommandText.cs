using System.Text;
using System.Text.RegularExpressions;

namespace EmpowerBot.Conversation;

/// <summary>Turns what a person typed into the form commands recognise.</summary>
public static partial class CommandText
{
    /// <summary>Longest message the bot reads; anything longer is answered with a short notice.</summary>
    public const int MaxLength = 4000;

    /// <summary>
    /// Removes @mentions of the bot (Teams' &lt;at&gt;…&lt;/at&gt;, Slack's &lt;@U…&gt;), HTML tags and entities,
    /// folds white space and lower-cases; trailing punctuation is dropped ("budget?" is "budget").
    /// </summary>
    public static string Normalize(string? text) => Fold(text, lower: true).TrimEnd('?', '!', '.', ' ');

    /// <summary>
    /// The same words as <see cref="Normalize"/>, in the writer's case and with their punctuation, so a rephrased
    /// message keeps a customer's reference and a reason as they were written.
    /// </summary>
    public static string Clean(string? text) => Fold(text, lower: false);

    private static string Fold(string? text, bool lower)
    {
        if (string.IsNullOrWhiteSpace(text)) return "";
        var s = text;
        // Plain typing (most messages) has no markup to strip: no mention, tag or entity without '<' or '&'.
        if (text.AsSpan().IndexOfAny('<', '&') >= 0)
        {
            s = Mention().Replace(s, " ");
            s = SlackMention().Replace(s, " ");
            s = Tag().Replace(s, " ");
            s = System.Net.WebUtility.HtmlDecode(s);
        }
        var sb = new StringBuilder(s.Length);
        var space = false;
        foreach (var c in s.Trim())
        {
            if (char.IsWhiteSpace(c))
            {
                space = true;
                continue;
            }
            if (space && sb.Length > 0) sb.Append(' ');
            space = false;
            sb.Append(lower ? char.ToLowerInvariant(c) : c);
        }
        return sb.ToString();
    }

    [GeneratedRegex("<at>.*?</at>", RegexOptions.IgnoreCase | RegexOptions.Singleline)]
    private static partial Regex Mention();

    [GeneratedRegex("<@[A-Z0-9]+(\\|[^>]*)?>")]
    private static partial Regex SlackMention();

    [GeneratedRegex("<[^>]{1,200}>")]
    private static partial Regex Tag();
}
