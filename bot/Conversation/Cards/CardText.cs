using System.Text;

namespace EmpowerBot.Conversation.Cards;

/// <summary>
/// Makes text people typed safe to show in a card's TextBlock or a markdown message: it reads exactly as typed and
/// formats nothing. Adaptive Cards render a CommonMark subset (bold, italic, lists, links) in TextBlocks, Teams renders
/// markdown in text messages, and both turn <c>{{DATE(…)}}</c> into a date; a colleague's "**URGENT**" or
/// "[click](https://…)" must stay characters on screen.
/// </summary>
/// <remarks>
/// <c>${…}</c> needs no escaping: the template binder parses templates once, when they are loaded, and inserts data
/// values as they are, never re-reading them as bindings (see CardTextTests).
/// </remarks>
public static class CardText
{
    /// <summary>Default cap on displayed length: enough for an obstacle in a list, short of a wall of text.</summary>
    public const int DefaultMaxLength = 280;

    // CommonMark escapes any ASCII punctuation with a backslash; these are the ones that can format, link or open HTML
    // anywhere in a line. Parentheses stay as typed: without an unescaped "]" before them they cannot form a link.
    private const string EscapedAnywhere = "\\`*_[]<>&~|";

    /// <summary>
    /// <paramref name="text"/> with line breaks kept (at most one blank line in a row), control characters removed,
    /// cut to <paramref name="maxLength"/> characters with "…", and every markdown-significant character escaped.
    /// </summary>
    public static string Inert(string? text, int maxLength = DefaultMaxLength)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxLength, 1);
        var lines = Clean(text ?? "");
        var cut = Cap(lines, maxLength);
        var result = new StringBuilder(cut.Length + 16);
        var lineStart = true;
        for (var i = 0; i < cut.Length; i++)
        {
            var c = cut[i];
            if (c == '\n')
            {
                result.Append('\n');
                lineStart = true;
                continue;
            }
            if (lineStart)
            {
                lineStart = false;
                // Headings, bullets, quotes and numbered lists only start a line: "- a" and "1. a" are lists, "a-b" is not.
                if (c is '#' or '-' or '+' or '=' or '>')
                {
                    result.Append('\\').Append(c);
                    continue;
                }
                if (char.IsAsciiDigit(c) && ListNumberEnd(cut, i) is > 0 and var end)
                {
                    result.Append(cut, i, end - i).Append('\\').Append(cut[end]);
                    i = end;
                    continue;
                }
            }
            if (c == '{' && i + 1 < cut.Length && cut[i + 1] == '{')
            {
                result.Append("{\u200B"); // a zero-width space splits "{{" so {{DATE(…)}} stays text
                continue;
            }
            if (EscapedAnywhere.Contains(c)) result.Append('\\');
            result.Append(c);
        }
        return result.ToString();
    }

    /// <summary>The index of the "." or ")" ending a list number such as "12." at <paramref name="start"/>, or -1.</summary>
    private static int ListNumberEnd(string s, int start)
    {
        var i = start;
        while (i < s.Length && i - start < 9 && char.IsAsciiDigit(s[i])) i++;
        return i < s.Length && s[i] is '.' or ')' ? i : -1;
    }

    private static string Clean(string text)
    {
        var s = new StringBuilder(text.Length);
        var newlines = 0;
        foreach (var raw in text.Replace("\r\n", "\n", StringComparison.Ordinal).Replace('\r', '\n'))
        {
            var c = raw == '\t' ? ' ' : raw;
            if (c == '\n')
            {
                if (++newlines <= 2) s.Append('\n');
                continue;
            }
            if (char.IsControl(c) || c is '\u2028' or '\u2029') continue;
            if (newlines > 0 && c == ' ') continue; // leading indentation would read as a code block
            newlines = 0;
            s.Append(c);
        }
        return s.ToString().Trim();
    }

    private static string Cap(string s, int maxLength)
    {
        if (s.Length <= maxLength) return s;
        var end = maxLength - 1;
        if (end > 0 && char.IsHighSurrogate(s[end - 1])) end--; // never split an emoji in two
        return s[..end].TrimEnd() + "…";
    }
}
