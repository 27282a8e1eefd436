using LeakGuard.Core.Exposure;

namespace LeakGuard.Core.Tests.Exposure;

public class OpenSourceLicensesTests
{
    [Theory]
    [InlineData("MIT")]
    [InlineData("apache-2.0")]
    [InlineData("(MIT OR Apache-2.0)")]
    [InlineData("BUSL-1.1 OR MIT")]
    [InlineData("GPL-2.0-only WITH Classpath-exception-2.0")]
    [InlineData("(MIT AND BSD-3-Clause)")]
    [InlineData("GPL-2.0+")]
    public void An_expression_with_an_OSI_approved_choice_is_open_source(string expression) =>
        Assert.True(OpenSourceLicenses.IsOpenSource(expression));

    [Theory]
    [InlineData("UNLICENSED")]
    [InlineData("BUSL-1.1")]
    [InlineData("SSPL-1.0")]
    [InlineData("MIT AND Commons-Clause")]
    [InlineData("CC-BY-NC-4.0")]
    [InlineData("Proprietary")]
    public void An_expression_without_one_is_not(string expression) =>
        Assert.False(OpenSourceLicenses.IsOpenSource(expression));
}
