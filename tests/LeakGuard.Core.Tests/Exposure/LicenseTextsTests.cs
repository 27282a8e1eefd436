using System.Text;
using LeakGuard.Core.Exposure;
using LeakGuard.Core.Tests.Support;

namespace LeakGuard.Core.Tests.Exposure;

public class LicenseTextsTests
{
    private static LicenseText Identify(string text) => LicenseTexts.Identify(Encoding.UTF8.GetBytes(text));

    /// <summary>The full texts Debian and Ubuntu ship in base-files (every image the tests run on).</summary>
    [Theory]
    [InlineData("Apache-2.0", "Apache-2.0")]
    [InlineData("GPL-2", "GPL-2.0")]
    [InlineData("GPL-3", "GPL-3.0")]
    [InlineData("LGPL-2.1", "LGPL-2.1")]
    [InlineData("LGPL-3", "LGPL-3.0")]
    [InlineData("MPL-1.1", "MPL-1.1")]
    [InlineData("MPL-2.0", "MPL-2.0")]
    [InlineData("BSD", "BSD-3-Clause")]
    public void Full_licence_texts_are_recognised(string file, string expected)
    {
        string path = Path.Join("/usr/share/common-licenses", file);
        Assert.True(File.Exists(path), $"{path} is missing (Debian's base-files ships it)");
        var text = LicenseTexts.Identify(File.ReadAllBytes(path));
        Assert.Equal(LicenseStatus.OpenSource, text.Status);
        Assert.Equal(expected, text.Label);
    }

    [Theory]
    [InlineData(DotNetLicenseArtefacts.MitText, "MIT")]
    [InlineData("# The MIT License (MIT)\n\n> Permission is hereby granted, free of charge, to any person obtaining a copy of this software … subject to the following conditions:\n> The above copyright notice and this permission notice shall be included in all copies.", "MIT")]
    [InlineData("ISC License\n\nCopyright (c) 2020 Acme\n\nPermission to use, copy, modify, and/or distribute this software for any\npurpose with or without fee is hereby granted, provided that the above\ncopyright notice and this permission notice appear in all copies.", "ISC")]
    [InlineData("Copyright (c) 2020, Acme. All rights reserved.\n\nRedistribution and use in source and binary forms, with or without\nmodification, are permitted provided that the following conditions are met:\n1. Redistributions of source code must retain the above copyright notice.\n2. Redistributions in binary form must reproduce the above copyright notice.", "BSD-2-Clause")]
    [InlineData("Software License Agreement (BSD License)\n\nCopyright (c) 2015, Yahoo! Inc. All rights reserved.\n\nRedistribution and use of this software in source and binary forms, with or\nwithout modification, are permitted provided that the following conditions are met:\n* Neither the name of Yahoo! Inc. nor the names of its contributors may be used to endorse or promote products derived from this software without specific prior written permission.", "BSD-3-Clause")]
    [InlineData("Microsoft Public License (Ms-PL)\n\nThis license governs use of the accompanying software.", "MS-PL")]
    [InlineData("This is free and unencumbered software released into the public domain.\n\nAnyone is free to copy, modify, publish, use, compile, sell, or distribute this software.", "Unlicense")]
    [InlineData("Microsoft Graph SDK for .NET\nCopyright 2019 Microsoft Graph\nAll right reserved.\n\nMIT License\n\nPermission is hereby granted, free of charge, to any person obtaining a copy\nof this software. The above copyright notice and this permission notice shall be included in all copies.", "MIT")]
    public void Short_licence_texts_are_recognised_by_their_wording_not_their_layout(string text, string expected)
    {
        var licence = Identify(text);
        Assert.Equal(LicenseStatus.OpenSource, licence.Status);
        Assert.Equal(expected, licence.Label);
    }

    [Theory]
    [InlineData(DotNetLicenseArtefacts.ProprietaryText)]
    [InlineData("MICROSOFT SOFTWARE LICENSE TERMS\n\nMICROSOFT.DATA.SQLCLIENT.SNI LIBRARY\n\nThese license terms are an agreement between you and Microsoft Corporation.")]
    [InlineData("Business Source License 1.1\n\nLicensor: Acme\nLicensed Work: Acme Server")]
    // A licence agreement that names open-source licences further down is still the agreement.
    [InlineData("ACME END USER LICENSE AGREEMENT\n\n1. Grant. You may install one copy.\n9. Third-party components are licensed under the GNU General Public License, version 2, or the Apache License, Version 2.0.")]
    // An open-source text with a restriction added is not open source.
    [InlineData("\"Commons Clause\" License Condition v1.0\n\nThe Software is provided to you by the Licensor under the License, as defined below.\n\nPermission is hereby granted, free of charge, to any person obtaining a copy. The above copyright notice and this permission notice shall be included in all copies.")]
    public void Proprietary_and_source_available_texts_are_not_open_source(string text)
    {
        Assert.Equal(LicenseStatus.NotOpenSource, Identify(text).Status);
    }

    [Theory]
    [InlineData(DotNetLicenseArtefacts.UnheardOfText)]
    [InlineData("")]
    [InlineData("See https://acme.example/terms")]
    public void Anything_else_is_unknown(string text)
    {
        Assert.Equal(LicenseStatus.Unknown, Identify(text).Status);
    }

    [Theory]
    [InlineData("LICENSE", true)]
    [InlineData("package/LICENCE.md", true)]
    [InlineData("package/MIT-LICENSE.txt", true)]
    [InlineData("COPYING", true)]
    [InlineData("EULA.rtf", true)]
    [InlineData("lib/net8.0/Acme.dll", false)]
    [InlineData("package/licenses/index.js", false)]
    public void Licence_files_are_known_by_their_names(string path, bool expected)
    {
        Assert.Equal(expected, LicenseTexts.IsLicenseFileName(path));
    }
}
